import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { resetDatabase } from '../testing/db-snapshot';
import { auth } from './auth';
import { upsertUserWithPassword } from './users';

const globalForAuth = globalThis as unknown as { studioAuth?: unknown };

async function sessionCookies(): Promise<string[]> {
  const { headers } = await auth().api.signInEmail({
    body: { email: 'c@example.io', password: 'a long enough password' },
    headers: new Headers(),
    returnHeaders: true,
  });
  return headers.getSetCookie();
}

describe('session cookies', () => {
  const savedUrl = process.env.BETTER_AUTH_URL;
  beforeEach(async () => {
    await resetDatabase();
    await db().$executeRaw`TRUNCATE sign_in_throttle`;
    await upsertUserWithPassword({ email: 'c@example.io', password: 'a long enough password', role: 'reviewer' });
    globalForAuth.studioAuth = undefined;
  });
  afterEach(() => {
    if (savedUrl === undefined) delete process.env.BETTER_AUTH_URL;
    else process.env.BETTER_AUTH_URL = savedUrl;
    globalForAuth.studioAuth = undefined;
  });

  it('are Secure (and __Secure- prefixed) when the Studio is served over https', async () => {
    process.env.BETTER_AUTH_URL = 'https://studio.example.com';
    const [cookie] = await sessionCookies();
    expect(cookie).toMatch(/^__Secure-/);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
  });

  it('are not Secure over plain http (a browser would drop them)', async () => {
    process.env.BETTER_AUTH_URL = 'http://localhost:3000';
    const [cookie] = await sessionCookies();
    expect(cookie).not.toMatch(/^__Secure-|; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
  });
});
