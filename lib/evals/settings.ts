// Eval defaults and the environment variables that change them. Read when used (not at import),
// so a test or the CLI can set the environment first.
import type { BackoffPolicy } from '../retry';

/** Requests in flight per run: EVAL_CONCURRENCY (1..64), default 8. */
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 64;
/** Completion budget: a label is one or two tokens; a few more show what a rambling model says. */
export const DEFAULT_MAX_TOKENS = 5;
export const MAX_MAX_TOKENS = 64;
/** Runner-up tokens asked for with logprobs (confidence and the threshold curve). */
export const TOP_LOGPROBS = 3;
/** Selective prediction: the metrics stored "at threshold" act only when confidence ≥ this. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;
/** Above this share of failed requests a run is failed rather than scored. */
export const MAX_ERROR_RATE = 0.5;
export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_CONFIDENCE = 0.95;

/** Backoff between attempts: lib/retry's policy (base, cap, retry-after cap). */
export interface RetryPolicy extends BackoffPolicy {
  /** Attempts per example, the first included. */
  maxAttempts: number;
  /** Per-request timeout (a hung request counts as a retryable failure). */
  timeoutMs: number;
  /**
   * Passes over the examples still without a prediction. An example whose requests kept failing
   * with transient errors (429, 5xx, timeouts) through all its attempts is not scored — that is
   * the provider's trouble, not a wrong answer — and is asked again in the next pass; still
   * failing after the last pass fails the run.
   */
  passes: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
  passes: 3,
};

function envInt(name: string, min: number, max: number): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

export function defaultConcurrency(): number {
  return envInt('EVAL_CONCURRENCY', 1, MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY;
}

export function defaultMaxTokens(): number {
  return envInt('EVAL_MAX_TOKENS', 1, MAX_MAX_TOKENS) ?? DEFAULT_MAX_TOKENS;
}

/** EVAL_MAX_ATTEMPTS (1..20) and EVAL_REQUEST_TIMEOUT_MS (1000..600000) override the defaults. */
export function defaultRetryPolicy(): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: envInt('EVAL_MAX_ATTEMPTS', 1, 20) ?? DEFAULT_RETRY_POLICY.maxAttempts,
    timeoutMs: envInt('EVAL_REQUEST_TIMEOUT_MS', 1000, 600_000) ?? DEFAULT_RETRY_POLICY.timeoutMs,
  };
}

/** AUTO_EVAL_AFTER_FINETUNE: on unless "0", "false", "off" or "no". */
export function autoEvalAfterFineTune(): boolean {
  const raw = (process.env.AUTO_EVAL_AFTER_FINETUNE ?? '').trim().toLowerCase();
  return !['0', 'false', 'off', 'no'].includes(raw);
}

/** What a run was asked to do, stored in eval_runs.settings (parsed on read: stored-json.ts). */
export interface EvalRunSettings {
  concurrency: number;
  maxTokens: number;
  temperature: 0;
  /** Whether logprobs are requested; set to false for the rest of the run once a provider refuses them. */
  logprobs: boolean;
  topLogprobs: number;
}
