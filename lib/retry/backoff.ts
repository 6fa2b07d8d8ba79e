// The one backoff policy for every provider call the Studio retries (fine-tune launch and
// polling, evaluation requests): capped exponential backoff with jitter, and the provider's
// retry-after honoured when it sends one. Hand-written rather than p-retry because a
// fine-tune's retries outlive a process: each attempt is a queued job and the failure streak
// lives in the database (see budget.ts), so no in-memory retry loop fits.

export interface BackoffPolicy {
  /** First delay; each further attempt doubles it … */
  baseDelayMs: number;
  /** … up to this. */
  maxDelayMs: number;
  /** A retry-after longer than this is cut to it (a provider asking for minutes stalls the work). */
  maxRetryAfterMs: number;
}

/**
 * How long to wait after failed attempt `attempt` (1-based): the provider's retry-after when
 * it gave one (capped, plus a little jitter so a burst of 429s does not come back in
 * lockstep), else base × 2^(attempt−1) capped, half of it fixed and half random ("equal
 * jitter": never shorter than half the step, so retries do spread out).
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  if (retryAfterMs !== null) {
    const wait = Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
    return Math.round(wait + random() * Math.min(250, wait * 0.2 + 10));
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(step / 2 + (random() * step) / 2);
}
