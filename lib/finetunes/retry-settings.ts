// How long fine-tune steps keep trying a provider in trouble, and how long one request may
// take. Read when used (not at import), so a test or the CLI can set the environment first.
import { z } from 'zod';
import type { BackoffPolicy } from '../retry';

/** FINETUNE_RETRY_BUDGET_MS: transient failures are retried this long from the first one. */
export const DEFAULT_RETRY_BUDGET_MS = 30 * 60_000;
/** FINETUNE_REQUEST_TIMEOUT_MS: a provider request that has not answered by then counts as a transient failure. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** 2 s doubling to 30 s between attempts (a 429's retry-after wins, up to a minute). */
export const FINETUNE_BACKOFF: BackoffPolicy = { baseDelayMs: 2_000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

function envMs(name: string, min: number, max: number, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const r = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!r.success) throw new Error(`${name} must be a whole number of milliseconds from ${min} to ${max} (got "${raw}")`);
  return r.data;
}

export function retryBudgetMs(): number {
  return envMs('FINETUNE_RETRY_BUDGET_MS', 0, 7 * 24 * 3_600_000, DEFAULT_RETRY_BUDGET_MS);
}

export function requestTimeoutMs(): number {
  return envMs('FINETUNE_REQUEST_TIMEOUT_MS', 100, 3_600_000, DEFAULT_REQUEST_TIMEOUT_MS);
}

/** The wait between two polls of a provider job: `baseMs`, doubling while the status stays the same, up to `maxMs`. */
export interface PollBackoff {
  baseMs: number;
  maxMs: number;
}

/** FINETUNE_POLL_BASE_MS: the first wait, and the wait after any change of status (2 s). */
export const DEFAULT_POLL_BASE_MS = 2_000;
/** FINETUNE_POLL_MAX_MS: the longest wait for a hosted provider (60 s: an hour unchanged costs ~60 polls, not 1,800). */
export const DEFAULT_POLL_MAX_MS = 60_000;
/** The bundled trainer answers from this machine for free; its runs take seconds, so it is polled at most 5 s apart. */
export const DEFAULT_LOCAL_POLL_MAX_MS = 5_000;

export function pollBackoff(provider: string): PollBackoff {
  const baseMs = envMs('FINETUNE_POLL_BASE_MS', 100, 3_600_000, DEFAULT_POLL_BASE_MS);
  const maxMs = envMs('FINETUNE_POLL_MAX_MS', 100, 24 * 3_600_000, provider === 'local' ? DEFAULT_LOCAL_POLL_MAX_MS : DEFAULT_POLL_MAX_MS);
  return { baseMs, maxMs: Math.max(baseMs, maxMs) };
}

/** The next wait: back to the base on a change of status (or the first poll), else double the last one, capped. */
export function nextPollInterval(policy: PollBackoff, lastIntervalMs: number | null, changed: boolean): number {
  if (changed || !lastIntervalMs) return policy.baseMs;
  return Math.min(policy.maxMs, Math.max(policy.baseMs, lastIntervalMs * 2));
}
