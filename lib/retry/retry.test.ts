// The one retry policy: backoff steps and jitter bounds, retry-after parsing, which statuses
// are transient, and the time budget, driven by an injected clock.
import { describe, expect, it } from 'vitest';
import { backoffDelay, connectionCause, decideRetry, formatDuration, isTransientStatus, retryAfterMs, retryAfterOfError } from '.';

const policy = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };
const headers = (h: Record<string, string>) => new Headers(h);

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with half of each step jittered', () => {
    for (const r of [0, 0.5, 0.999]) {
      for (let attempt = 1; attempt <= 40; attempt++) {
        const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        const d = backoffDelay(attempt, policy, null, () => r);
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
    }
    expect(backoffDelay(1, policy, null, () => 0)).toBe(250);
    expect(backoffDelay(3, policy, null, () => 0)).toBe(1000);
    expect(backoffDelay(1000, policy, null, () => 0.999)).toBeLessThanOrEqual(8000);
  });

  it('honours a retry-after (capped) plus a little jitter', () => {
    for (const r of [0, 0.5, 0.999]) {
      const d = backoffDelay(1, policy, 1000, () => r);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(1250);
      expect(backoffDelay(9, policy, 10 * 60_000, () => r)).toBeLessThanOrEqual(policy.maxRetryAfterMs + 250);
      expect(backoffDelay(9, policy, 0, () => r)).toBeLessThanOrEqual(10);
    }
  });
});

describe('retry-after', () => {
  it('reads retry-after-ms, retry-after seconds and dates, from headers or an SDK error', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 25 Nov 2026 12:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(headers({}), now)).toBeNull();
    expect(retryAfterMs({ 'retry-after': '1' }, now)).toBe(1000);
    expect(retryAfterOfError({ headers: headers({ 'retry-after-ms': '40' }) })).toBe(40);
    expect(retryAfterOfError(new Error('no headers'))).toBeNull();
    expect(retryAfterOfError(null)).toBeNull();
  });
});

describe('isTransientStatus', () => {
  it('retries 408, 409, 429, 5xx and no answer; other 4xx are final', () => {
    for (const s of [408, 409, 429, 500, 502, 503, 504, null, undefined, 0]) expect(isTransientStatus(s), String(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 410, 413, 422]) expect(isTransientStatus(s), String(s)).toBe(false);
  });

  it('finds the system error code in a cause chain', () => {
    expect(connectionCause(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toBe('ECONNREFUSED');
    expect(connectionCause(new Error('plain'))).toBeNull();
  });
});

describe('decideRetry (time budget, injected clock)', () => {
  const budgetMs = 30 * 60_000;
  const backoff = { baseDelayMs: 2_000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };
  const t0 = Date.parse('2026-12-01T10:00:00Z');

  it('retries for as long as the budget lasts, however many attempts that takes', () => {
    let now = t0;
    let attempts = 0;
    for (;;) {
      attempts++;
      const d = decideRetry({ sinceMs: t0, attempts }, { nowMs: now, budgetMs, backoff, random: () => 0.5 });
      if (!d.retry) {
        expect(d.elapsedMs).toBeGreaterThanOrEqual(budgetMs);
        break;
      }
      expect(d.delayMs).toBeGreaterThan(0);
      expect(now + d.delayMs - t0).toBeLessThanOrEqual(budgetMs);
      now += d.delayMs;
    }
    // 30 minutes at up to 30 s apart: far more than the 10 attempts a count would allow.
    expect(attempts).toBeGreaterThan(60);
    expect(now - t0).toBe(budgetMs);
  });

  it('measures from the streak start it is given (a restart keeps it), and cuts the last wait to the budget', () => {
    const late = decideRetry({ sinceMs: t0, attempts: 1 }, { nowMs: t0 + budgetMs - 1_000, budgetMs, backoff, random: () => 0.999 });
    expect(late).toEqual({ retry: true, delayMs: 1_000, elapsedMs: budgetMs - 1_000 });
    expect(decideRetry({ sinceMs: t0, attempts: 1 }, { nowMs: t0 + budgetMs, budgetMs, backoff })).toEqual({ retry: false, elapsedMs: budgetMs });
    expect(decideRetry({ sinceMs: t0, attempts: 1 }, { nowMs: t0 + 2 * budgetMs, budgetMs, backoff }).retry).toBe(false);
  });

  it('waits what a 429 asked for', () => {
    const d = decideRetry({ sinceMs: t0, attempts: 7 }, { nowMs: t0 + 5_000, budgetMs, backoff, retryAfterMs: 1_000, random: () => 0 });
    expect(d).toEqual({ retry: true, delayMs: 1_000, elapsedMs: 5_000 });
  });

  it('a zero budget gives up at the first failure', () => {
    expect(decideRetry({ sinceMs: t0, attempts: 1 }, { nowMs: t0, budgetMs: 0, backoff }).retry).toBe(false);
  });

  it('formats durations for messages', () => {
    expect(formatDuration(400)).toBe('400 ms');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(90_000)).toBe('1.5 min');
    expect(formatDuration(30 * 60_000)).toBe('30 min');
    expect(formatDuration(2 * 3_600_000)).toBe('2 h');
  });
});
