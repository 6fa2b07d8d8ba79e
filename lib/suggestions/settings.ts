// Suggestion defaults and the environment variables that change them. Read when used, so a test
// or a CLI can set the environment first.
import { defaultMaxTokens, defaultRetryPolicy, type RetryPolicy } from '../evals/settings';

/** Conversations claimed per batch: each batch is written in one short transaction. */
export const BATCH_CONVERSATIONS = 25;
/** A claim older than this is taken over (its processor died). */
export const CLAIM_SECONDS = 300;
/** One job works this long, then hands on to a fresh job (so a 100k backfill is many short jobs). */
export const JOB_BUDGET_MS = 60_000;
/** How often the worker checks for an advisor change and for waiting requests. */
export const SWEEP_INTERVAL_MS = 2_000;

function envInt(name: string, min: number, max: number, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** SUGGESTIONS_CONCURRENCY (1..64), default 4: requests in flight per processing worker. */
export function suggestionConcurrency(): number {
  return envInt('SUGGESTIONS_CONCURRENCY', 1, 64, 4);
}

/** The evaluations' retry policy (EVAL_MAX_ATTEMPTS, EVAL_REQUEST_TIMEOUT_MS) and completion budget: the same request. */
export function suggestionRequestPolicy(): RetryPolicy & { maxTokens: number } {
  return { ...defaultRetryPolicy(), maxTokens: defaultMaxTokens() };
}

/**
 * SUGGESTIONS_YIELD_DECISIONS_PER_S (0..100000, default 20; 0 never yields): while the decision
 * API serves at least this many decisions a second (over the last YIELD_WINDOW_S), the
 * suggestions job waits instead of claiming its next batch. Suggestions are background work
 * that shares the model, the database and (on one machine) the cores with live decisions; a
 * chatbot waiting on an answer comes first.
 */
export function suggestionYieldRate(): number {
  return envInt('SUGGESTIONS_YIELD_DECISIONS_PER_S', 0, 100_000, 20);
}
/** The live decision rate is measured over this many seconds. */
export const YIELD_WINDOW_S = 5;
/** However busy the decision API stays, one batch runs at least this often, so suggestions never starve. */
export const YIELD_MAX_WAIT_MS = 30_000;
