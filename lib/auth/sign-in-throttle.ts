// Password guessing is throttled per account and per client, in PostgreSQL so that every web
// process counts against the same numbers. An attempt is counted *before* the password is
// checked (one atomic upsert per key), so a burst of parallel guesses cannot slip past the limit
// between a check and a write; a correct password then gives its attempt back.
// Fixed windows: the first attempt opens a window of `windowSeconds`; every further attempt
// in it counts; over the limit, sign-in is refused until the window ends.
import { z } from 'zod';
import { db } from '../db';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const limitsSchema = z.object({
  SIGN_IN_THROTTLE_WINDOW_SECONDS: positiveInt(15 * 60),
  SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: positiveInt(10),
  SIGN_IN_MAX_ATTEMPTS_PER_CLIENT: positiveInt(100),
});

export interface ThrottleLimits {
  windowSeconds: number;
  maxPerAccount: number;
  maxPerClient: number;
}

/** The limits from the environment (defaults: 10 per account, 100 per client, in 15 minutes). */
export function throttleLimits(env: Record<string, string | undefined> = process.env): ThrottleLimits {
  const parsed = limitsSchema.safeParse({
    SIGN_IN_THROTTLE_WINDOW_SECONDS: env.SIGN_IN_THROTTLE_WINDOW_SECONDS || undefined,
    SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: env.SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT || undefined,
    SIGN_IN_MAX_ATTEMPTS_PER_CLIENT: env.SIGN_IN_MAX_ATTEMPTS_PER_CLIENT || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join('.')} must be a positive whole number (${issue.message})`);
  }
  const d = parsed.data;
  return {
    windowSeconds: d.SIGN_IN_THROTTLE_WINDOW_SECONDS,
    maxPerAccount: d.SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT,
    maxPerClient: d.SIGN_IN_MAX_ATTEMPTS_PER_CLIENT,
  };
}

export interface SignInSubject {
  /** The account being signed in to, as typed (case does not matter). */
  email: string;
  /** The client's address (lib/auth/client-ip.ts). */
  client: string;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function keysOf(subject: SignInSubject, limits: ThrottleLimits): { key: string; max: number }[] {
  // Sorted, so two statements touching the same two rows always lock them in the same order.
  return [
    { key: `account:${subject.email.trim().toLowerCase()}`, max: limits.maxPerAccount },
    { key: `client:${subject.client}`, max: limits.maxPerClient },
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Counts one attempt for the account and the client; refused when either is over its limit. */
export async function registerSignInAttempt(subject: SignInSubject, limits: ThrottleLimits = throttleLimits()): Promise<ThrottleVerdict> {
  const keys = keysOf(subject, limits);
  const rows = await db().$queryRaw<{ key: string; attempts: number; retry_after: number }[]>`
    INSERT INTO sign_in_throttle AS t (key, attempts, window_ends_at)
    SELECT k, 1, now() + make_interval(secs => ${limits.windowSeconds}) FROM unnest(${keys.map((k) => k.key)}::text[]) AS k
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.attempts + 1 END,
      window_ends_at = CASE WHEN t.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE t.window_ends_at END
    RETURNING key, attempts, ceil(extract(epoch FROM window_ends_at - now()))::int AS retry_after`;
  // Expired rows are only history; an occasional sweep keeps the table as small as the traffic.
  if (Math.random() < 0.01) await db().$executeRaw`DELETE FROM sign_in_throttle WHERE window_ends_at < now() - interval '1 day'`;
  let retryAfterSeconds = 0;
  for (const row of rows) {
    const max = keys.find((k) => k.key === row.key)!.max;
    if (row.attempts > max) retryAfterSeconds = Math.max(retryAfterSeconds, row.retry_after, 1);
  }
  return retryAfterSeconds > 0 ? { allowed: false, retryAfterSeconds } : { allowed: true };
}

/** A correct password: its attempt no longer counts against the account or the client. */
export async function forgiveSignInAttempt(subject: SignInSubject, limits: ThrottleLimits = throttleLimits()): Promise<void> {
  const keys = keysOf(subject, limits).map((k) => k.key);
  await db().$executeRaw`
    UPDATE sign_in_throttle SET attempts = greatest(attempts - 1, 0)
    WHERE key = ANY(${keys}::text[]) AND window_ends_at > now()`;
}

/** What the person at the sign-in form reads. */
export function throttleMessage(retryAfterSeconds: number): string {
  return `Too many attempts, try again in ${retryAfterSeconds} s.`;
}
