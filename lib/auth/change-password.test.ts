import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { resetDatabase } from '../testing/db-snapshot';
import { auth } from './auth';
import { changeOwnPassword } from './change-password';
import { revokeUserSessions } from './revoke-sessions';
import { upsertUserWithPassword } from './users';

const EMAIL = 'rita@example.io';
const OLD = 'old password that is long';
const NEW = 'a brand new passphrase';

// A browser's session: sign in and keep the cookie better-auth sets.
async function signedIn(password = OLD): Promise<Headers> {
  const { headers } = await auth().api.signInEmail({
    body: { email: EMAIL, password },
    headers: new Headers({ 'x-forwarded-for': '192.0.2.1' }),
    returnHeaders: true,
  });
  const cookie = headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return new Headers({ cookie, 'x-forwarded-for': '192.0.2.1' });
}

async function isSignedIn(h: Headers): Promise<boolean> {
  return (await auth().api.getSession({ headers: h })) !== null;
}

let userId: string;
beforeEach(async () => {
  await resetDatabase();
  await db().$executeRaw`TRUNCATE sign_in_throttle`;
  userId = (await upsertUserWithPassword({ email: EMAIL, password: OLD, role: 'reviewer' })).id;
});

describe('changing one’s own password', () => {
  it('refuses a weak new password with the rule, and keeps the old one', async () => {
    const browser = await signedIn();
    for (const [weak, rule] of [
      ['12345678', /at least 12/],
      ['aaaaaaaaaaaaaaaa', /repeated/],
      [EMAIL, /email/],
      ['            ', /spaces/],
      ['password1234', /commonly used/],
    ] as const) {
      const r = await changeOwnPassword(browser, { currentPassword: OLD, newPassword: weak, confirmPassword: weak });
      expect(r).toMatchObject({ ok: false, field: 'newPassword', message: expect.stringMatching(rule) });
    }
    expect(await isSignedIn(await signedIn(OLD))).toBe(true);
  });

  it('refuses a wrong current password and differing confirmations', async () => {
    const browser = await signedIn();
    expect(await changeOwnPassword(browser, { currentPassword: 'not the password', newPassword: NEW, confirmPassword: NEW })).toMatchObject({
      ok: false,
      field: 'currentPassword',
    });
    expect(await changeOwnPassword(browser, { currentPassword: OLD, newPassword: NEW, confirmPassword: `${NEW}!` })).toMatchObject({
      ok: false,
      field: 'confirmPassword',
    });
  });

  it('ends every other session of the user, whatever the caller asked', async () => {
    const other = await signedIn();
    const browser = await signedIn();
    expect(await changeOwnPassword(browser, { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW })).toEqual({ ok: true });
    expect(await isSignedIn(other)).toBe(false);
    await expect(auth().api.signInEmail({ body: { email: EMAIL, password: OLD } })).rejects.toThrow();
    expect(await isSignedIn(await signedIn(NEW))).toBe(true);

    // Straight to the endpoint with revokeOtherSessions: false — other sessions still end.
    const third = await signedIn(NEW);
    const fourth = await signedIn(NEW);
    await auth().api.changePassword({ body: { currentPassword: NEW, newPassword: OLD, revokeOtherSessions: false }, headers: fourth });
    expect(await isSignedIn(third)).toBe(false);
  });
});

describe('revokeUserSessions', () => {
  it('ends all sessions of one user, or all but one', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const keep = (await auth().api.getSession({ headers: b }))!.session.token;
    expect(await revokeUserSessions(userId, { exceptToken: keep })).toBe(1);
    expect(await isSignedIn(a)).toBe(false);
    expect(await isSignedIn(b)).toBe(true);
    expect(await revokeUserSessions(userId)).toBe(1);
    expect(await isSignedIn(b)).toBe(false);
  });
});
