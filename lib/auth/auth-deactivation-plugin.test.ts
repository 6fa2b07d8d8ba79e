import { beforeEach, expect, it } from 'vitest';
import { db } from '../db';
import { resetDatabase } from '../testing/db-snapshot';
import { auth } from './auth';
import { deactivateUser, reactivateUser, upsertUserWithPassword } from './users';

const PW = 'correct horse battery';

beforeEach(() => resetDatabase());

it('a deactivated account cannot sign in (no session is created); reactivated, it can', async () => {
  const a = await upsertUserWithPassword({ email: 'boss@test.io', password: PW, role: 'admin' });
  const r = await upsertUserWithPassword({ email: 'rev@test.io', password: PW, role: 'reviewer' });
  const admin = { id: a.id, email: 'boss@test.io', name: 'boss', role: 'admin' as const };
  const signIn = () => auth().api.signInEmail({ body: { email: 'rev@test.io', password: PW } });
  await signIn();
  expect(await db().session.count({ where: { userId: r.id } })).toBe(1);
  await deactivateUser(admin, { userId: r.id });
  await expect(signIn()).rejects.toThrow(/deactivated/);
  expect(await db().session.count({ where: { userId: r.id } })).toBe(0);
  await reactivateUser(admin, { userId: r.id });
  await signIn();
  expect(await db().session.count({ where: { userId: r.id } })).toBe(1);
});

it('the session cookie from before a deactivation stays dead after reactivation', async () => {
  const a = await upsertUserWithPassword({ email: 'boss@test.io', password: PW, role: 'admin' });
  const r = await upsertUserWithPassword({ email: 'rev@test.io', password: PW, role: 'reviewer' });
  const admin = { id: a.id, email: 'boss@test.io', name: 'boss', role: 'admin' as const };
  const { headers } = await auth().api.signInEmail({ body: { email: 'rev@test.io', password: PW }, returnHeaders: true });
  const cookie = headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const withCookie = new Headers({ cookie });
  expect((await auth().api.getSession({ headers: withCookie }))?.user.id).toBe(r.id);
  await deactivateUser(admin, { userId: r.id });
  await expect(auth().api.signInEmail({ body: { email: 'rev@test.io', password: PW } })).rejects.toThrow(/deactivated/);
  await reactivateUser(admin, { userId: r.id });
  expect(await auth().api.getSession({ headers: withCookie })).toBeNull();
});
