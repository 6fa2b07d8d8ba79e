import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { resetDatabase } from '../testing/db-snapshot';
import { auth } from './auth';
import { upsertUserWithPassword } from './users';
import { forgiveSignInAttempt, registerSignInAttempt, throttleLimits, type ThrottleLimits } from './sign-in-throttle';

const limits: ThrottleLimits = { windowSeconds: 60, maxPerAccount: 10, maxPerClient: 25 };
const PASSWORD = 'correct horse battery';

async function attempts(key: string): Promise<number | undefined> {
  const rows = await db().$queryRaw<{ attempts: number }[]>`SELECT attempts FROM sign_in_throttle WHERE key = ${key}`;
  return rows[0]?.attempts;
}

beforeEach(async () => {
  await resetDatabase();
  await db().$executeRaw`TRUNCATE sign_in_throttle`;
});

describe('sign-in throttle (PostgreSQL)', () => {
  it('counts 30 parallel attempts exactly and lets exactly the limit through', async () => {
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, () => registerSignInAttempt({ email: 'Ada@Example.io', client: '203.0.113.7' }, { ...limits, maxPerClient: 1000 })),
    );
    expect(await attempts('account:ada@example.io')).toBe(30);
    expect(await attempts('client:203.0.113.7')).toBe(30);
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
    const refused = verdicts.find((v) => !v.allowed);
    expect(refused).toMatchObject({ allowed: false });
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(50);
  });

  it('limits one client across many accounts (password spraying)', async () => {
    const verdicts = [];
    for (let i = 0; i < 26; i++) verdicts.push(await registerSignInAttempt({ email: `user${i}@example.io`, client: '198.51.100.1' }, limits));
    expect(verdicts.slice(0, 25).every((v) => v.allowed)).toBe(true);
    expect(verdicts[25].allowed).toBe(false);
    // Another client is not affected.
    expect((await registerSignInAttempt({ email: 'user0@example.io', client: '198.51.100.2' }, limits)).allowed).toBe(true);
  });

  it('opens again when the window has passed', async () => {
    const short = { ...limits, windowSeconds: 1, maxPerAccount: 2 };
    for (let i = 0; i < 3; i++) await registerSignInAttempt({ email: 'a@b.io', client: 'c' }, short);
    expect((await registerSignInAttempt({ email: 'a@b.io', client: 'c' }, short)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await registerSignInAttempt({ email: 'a@b.io', client: 'c' }, short)).toEqual({ allowed: true });
    expect(await attempts('account:a@b.io')).toBe(1);
  });

  it('a correct password gives its attempt back', async () => {
    await registerSignInAttempt({ email: 'a@b.io', client: 'c' }, limits);
    await registerSignInAttempt({ email: 'a@b.io', client: 'c' }, limits);
    await forgiveSignInAttempt({ email: 'A@B.io', client: 'c' }, limits);
    expect(await attempts('account:a@b.io')).toBe(1);
    expect(await attempts('client:c')).toBe(1);
  });

  it('reads its limits from the environment and refuses nonsense', () => {
    expect(throttleLimits({})).toEqual({ windowSeconds: 900, maxPerAccount: 10, maxPerClient: 100 });
    expect(throttleLimits({ SIGN_IN_THROTTLE_WINDOW_SECONDS: '5', SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: '3' })).toMatchObject({
      windowSeconds: 5,
      maxPerAccount: 3,
    });
    expect(() => throttleLimits({ SIGN_IN_MAX_ATTEMPTS_PER_CLIENT: 'lots' })).toThrow(/SIGN_IN_MAX_ATTEMPTS_PER_CLIENT/);
  });
});

describe('better-auth goes through the throttle', () => {
  it('refuses the 11th wrong password with 429 and a retry time, also for the right one, per account', async () => {
    process.env.SIGN_IN_THROTTLE_WINDOW_SECONDS = '60';
    try {
      await upsertUserWithPassword({ email: 'owner@example.io', password: PASSWORD, role: 'reviewer' });
      const headers = new Headers({ 'x-forwarded-for': '192.0.2.10' });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        try {
          await auth().api.signInEmail({ body: { email: 'owner@example.io', password: `wrong-password-${i}` }, headers });
          statuses.push(200);
        } catch (e) {
          statuses.push((e as { statusCode: number }).statusCode);
        }
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      // Over HTTP (/api/auth/sign-in/email), the right password is refused as well.
      const refused = await auth().handler(
        new Request('http://localhost:3000/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-forwarded-for': '192.0.2.10' },
          body: JSON.stringify({ email: 'owner@example.io', password: PASSWORD }),
        }),
      );
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await refused.json()).message).toMatch(/^Too many attempts, try again in \d+ s\.$/);
      // The window over (made to end now), the owner signs in.
      await db().$executeRaw`UPDATE sign_in_throttle SET window_ends_at = now()`;
      const ok = await auth().api.signInEmail({ body: { email: 'owner@example.io', password: PASSWORD }, headers });
      expect(ok.user.email).toBe('owner@example.io');
    } finally {
      delete process.env.SIGN_IN_THROTTLE_WINDOW_SECONDS;
    }
  });
});
