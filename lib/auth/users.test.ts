import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { resetDatabase } from '../testing/db-snapshot';
import { AuthError } from './errors';
import type { Actor } from './session';
import { listUsers, setUserRole, upsertUserWithPassword } from './users';

let admin: Actor;
let reviewer: Actor;

beforeEach(async () => {
  await resetDatabase();
  const a = await upsertUserWithPassword({ email: 'Boss@Test.io', password: 'password-1', role: 'admin' });
  const r = await upsertUserWithPassword({ email: 'rev@test.io', password: 'password-2', role: 'reviewer' });
  admin = { id: a.id, email: 'boss@test.io', name: 'boss', role: 'admin' };
  reviewer = { id: r.id, email: 'rev@test.io', name: 'rev', role: 'reviewer' };
});

describe('accounts', () => {
  it('creating a user is idempotent and updates role and password', async () => {
    const again = await upsertUserWithPassword({ email: 'rev@test.io', password: 'another-pass', role: 'ml_lead' });
    expect(again).toEqual({ id: reviewer.id, created: false });
    expect(await db().user.count()).toBe(2);
    expect(await db().account.count({ where: { userId: reviewer.id } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: reviewer.id } })).role).toBe('ml_lead');
  });

  it('refuses bad input with a message naming the field', async () => {
    await expect(upsertUserWithPassword({ email: 'nope', password: 'password-1', role: 'admin' })).rejects.toThrow(/valid address/);
    await expect(upsertUserWithPassword({ email: 'a@b.io', password: 'short', role: 'admin' })).rejects.toThrow(/at least 8/);
    await expect(upsertUserWithPassword({ email: 'a@b.io', password: 'password-1', role: 'boss' as never })).rejects.toThrow(/role must be one of/);
    expect(await db().user.count()).toBe(2);
  });

  it('only admins list users and change roles; lib/ checks it, whatever the caller', async () => {
    await expect(listUsers(reviewer)).rejects.toBeInstanceOf(AuthError);
    await expect(setUserRole(reviewer, { userId: reviewer.id, role: 'admin' })).rejects.toThrow(/needs the admin role/);
    expect((await db().user.findUniqueOrThrow({ where: { id: reviewer.id } })).role).toBe('reviewer');
    const { users } = await listUsers(admin);
    expect(users.map((u) => u.email)).toEqual(['boss@test.io', 'rev@test.io']);
    await setUserRole(admin, { userId: reviewer.id, role: 'ml_lead' });
    expect((await db().user.findUniqueOrThrow({ where: { id: reviewer.id } })).role).toBe('ml_lead');
  });

  it('the last admin cannot demote themselves', async () => {
    await expect(setUserRole(admin, { userId: admin.id, role: 'reviewer' })).rejects.toThrow(/last admin/);
  });
});
