import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { AUTH_SECRET_FILE, ensureAuthSecret, secretProblem } from './secret';
import { secretFingerprint, secretMismatch } from './secret-fingerprint';

const A = 'a'.repeat(20) + 'installation-secret-one';
const B = 'b'.repeat(20) + 'installation-secret-two';

describe('the installation secret', () => {
  let saved: string | undefined;
  beforeEach(async () => {
    saved = process.env.BETTER_AUTH_SECRET;
    await db().$executeRaw`TRUNCATE installation_secret`;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.BETTER_AUTH_SECRET;
    else process.env.BETTER_AUTH_SECRET = saved;
  });

  it('refuses a missing, short or formerly public secret', () => {
    expect(secretProblem(undefined)).toMatch(/not set/);
    expect(secretProblem('short')).toMatch(/too short/);
    expect(secretProblem('development-only-secret-change-me-0123456789')).toMatch(/public/);
    expect(secretProblem(A)).toBeNull();
  });

  it('uses BETTER_AUTH_SECRET when set, else the one generated once into .data/auth-secret', () => {
    process.env.BETTER_AUTH_SECRET = A;
    expect(ensureAuthSecret()).toBe(A);
    delete process.env.BETTER_AUTH_SECRET;
    const lines: string[] = [];
    const first = ensureAuthSecret((l) => lines.push(l));
    expect(first).toBe(fs.readFileSync(AUTH_SECRET_FILE, 'utf8').trim());
    expect(process.env.BETTER_AUTH_SECRET).toBe(first);
    delete process.env.BETTER_AUTH_SECRET;
    expect(ensureAuthSecret((l) => lines.push(l))).toBe(first);
    // Never printed: at most a line saying where it is.
    expect(lines.join('\n')).not.toContain(first);
    expect(fs.statSync(AUTH_SECRET_FILE).mode & 0o077).toBe(0);
  });

  it('a process with another secret than the installation is told so; the same one passes', async () => {
    expect(await secretMismatch(A)).toBeNull();
    expect(await secretMismatch(A)).toBeNull();
    expect(await secretMismatch(B)).toMatch(/differs from the secret the other processes/);
    const [row] = await db().$queryRaw<{ fingerprint: string }[]>`SELECT fingerprint FROM installation_secret`;
    expect(row.fingerprint).toBe(secretFingerprint(A));
    expect(row.fingerprint).not.toContain(A);
  });

  it('two processes starting at once agree on one fingerprint', async () => {
    const results = await Promise.all([secretMismatch(A), secretMismatch(A), secretMismatch(B)]);
    expect(results.filter((r) => r === null).length).toBeGreaterThanOrEqual(1);
    expect(await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM installation_secret`).toEqual([{ n: 1n }]);
  });
});
