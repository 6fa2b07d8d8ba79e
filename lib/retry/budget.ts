// Retrying for a time, not a number of attempts: a streak of transient failures is retried
// until `budgetMs` has passed since its first failure, then given up. The streak (when it
// started, how many attempts failed) is the caller's to keep — fine-tunes keep it on the run
// row, so a worker restart neither resets nor loses it. Pure: the clock is a parameter.
import { backoffDelay, type BackoffPolicy } from './backoff';

export interface FailureStreak {
  /** When the first failure of the streak happened (ms since the epoch). */
  sinceMs: number;
  /** Failed attempts so far, the one just recorded included (≥ 1). */
  attempts: number;
}

export type RetryDecision = { retry: true; delayMs: number; elapsedMs: number } | { retry: false; elapsedMs: number };

/**
 * Whether to try again after the streak's latest failure, and when. The wait is the backoff
 * (or the provider's retry-after), cut so the last attempt falls inside the budget; once the
 * budget is spent, give up.
 */
export function decideRetry(
  streak: FailureStreak,
  opts: { nowMs: number; budgetMs: number; backoff: BackoffPolicy; retryAfterMs?: number | null; random?: () => number },
): RetryDecision {
  const elapsedMs = Math.max(0, opts.nowMs - streak.sinceMs);
  const leftMs = opts.budgetMs - elapsedMs;
  if (leftMs <= 0) return { retry: false, elapsedMs };
  const delayMs = Math.min(leftMs, backoffDelay(streak.attempts, opts.backoff, opts.retryAfterMs ?? null, opts.random));
  return { retry: true, delayMs, elapsedMs };
}

/** "400 ms", "42 s", "3.5 min", "1.2 h": how long a streak has lasted, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
