import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { ConflictError, InputError } from '../errors';
import { resetDatabase } from '../testing/db-snapshot';
import { AuthError } from './errors';
import type { Actor } from './session';
import {
  addUser,
  deactivateUser,
  listImportSources,
  listUsers,
  maySignIn,
  reactivateUser,
  resetUserPassword,
  setUserRole,
  upsertUserWithPassword,
} from './users';

const PW = 'correct horse battery';
let admin: Actor;
let reviewer: Actor;

async function sessionFor(userId: string) {
  const id = crypto.randomUUID();
  await db().session.create({ data: { id, userId, token: crypto.randomUUID(), expiresAt: new Date(Date.now() + 3_600_000) } });
  return id;
}

async function roleOf(id: string) {
  return (await db().user.findUniqueOrThrow({ where: { id } })).role;
}

async function passwordHash(userId: string) {
  return (await db().account.findFirstOrThrow({ where: { userId, providerId: 'credential' } })).password;
}

beforeEach(async () => {
  await resetDatabase();
  const a = await upsertUserWithPassword({ email: 'Boss@Test.io', password: PW, role: 'admin' });
  const r = await upsertUserWithPassword({ email: 'rev@test.io', password: PW, role: 'reviewer' });
  admin = { id: a.id, email: 'boss@test.io', name: 'boss', role: 'admin' };
  reviewer = { id: r.id, email: 'rev@test.io', name: 'rev', role: 'reviewer' };
});

describe('adding people', () => {
  it('refuses an address that already has an account, and changes nothing about that person', async () => {
    const before = await passwordHash(reviewer.id);
    const err = await addUser(admin, { email: 'REV@test.io', password: 'another long password', role: 'admin' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues).toEqual([{ field: 'email', message: expect.stringMatching(/already has an account/) }]);
    expect(await roleOf(reviewer.id)).toBe('reviewer');
    expect(await passwordHash(reviewer.id)).toBe(before);
    expect(await db().user.count()).toBe(2);
  });

  it('applies the password policy and names the field', async () => {
    for (const [password, rule] of [
      ['short', /at least 12/],
      ['aaaaaaaaaaaaaa', /repeated/],
      ['new@test.io', /at least 12|email/],
      ['new@test.io-1', /email/],
    ] as const) {
      const err = await addUser(admin, { email: 'new@test.io', password, role: 'reviewer' }).catch((e: unknown) => e);
      expect(err, password).toBeInstanceOf(InputError);
      expect((err as InputError).issues.find((i) => i.field === 'password')?.message, password).toMatch(rule);
    }
    await expect(addUser(admin, { email: 'nope', password: PW, role: 'admin' })).rejects.toThrow(/valid address/);
    await expect(addUser(admin, { email: 'a@b.io', password: PW, role: 'boss' as never })).rejects.toThrow(/role must be one of/);
    await expect(addUser(admin, { email: 'import@file.jsonl', password: PW, role: 'reviewer' })).rejects.toThrow(/import sources/);
    expect(await db().user.count()).toBe(2);
    await addUser(admin, { email: 'new@test.io', password: PW, role: 'ml_lead' });
    expect(await db().user.count()).toBe(3);
  });

  it('only admins list people and change them; lib/ checks it, whatever the caller', async () => {
    await expect(listUsers(reviewer)).rejects.toBeInstanceOf(AuthError);
    await expect(addUser(reviewer, { email: 'x@test.io', password: PW, role: 'admin' })).rejects.toBeInstanceOf(AuthError);
    await expect(setUserRole(reviewer, { userId: reviewer.id, role: 'admin' })).rejects.toThrow(/needs the admin role/);
    await expect(resetUserPassword(reviewer, { userId: admin.id, password: 'a brand new password' })).rejects.toBeInstanceOf(AuthError);
    await expect(deactivateUser(reviewer, { userId: admin.id })).rejects.toBeInstanceOf(AuthError);
    expect(await roleOf(reviewer.id)).toBe('reviewer');
    const { users } = await listUsers(admin);
    expect(users.map((u) => u.email)).toEqual(['boss@test.io', 'rev@test.io']);
    await setUserRole(admin, { userId: reviewer.id, role: 'ml_lead' });
    expect(await roleOf(reviewer.id)).toBe('ml_lead');
  });
});

describe('reset, deactivate, reactivate', () => {
  it('a password reset ends every session of that person', async () => {
    await sessionFor(reviewer.id);
    await sessionFor(reviewer.id);
    const mine = await sessionFor(admin.id);
    const before = await passwordHash(reviewer.id);
    await expect(resetUserPassword(admin, { userId: reviewer.id, password: 'rev@test.io' })).rejects.toThrow(/at least 12|email/);
    expect(await resetUserPassword(admin, { userId: reviewer.id, password: 'a brand new password' })).toEqual({ sessionsEnded: 2 });
    expect(await passwordHash(reviewer.id)).not.toBe(before);
    expect(await db().session.count({ where: { userId: reviewer.id } })).toBe(0);
    expect(await db().session.findUnique({ where: { id: mine } })).not.toBeNull();
  });

  it('deactivation ends the sessions and blocks sign-in until reactivated; labels stay', async () => {
    await sessionFor(reviewer.id);
    expect(await deactivateUser(admin, { userId: reviewer.id })).toEqual({ sessionsEnded: 1 });
    expect(await db().session.count({ where: { userId: reviewer.id } })).toBe(0);
    expect(await maySignIn(reviewer.id)).toBe(false);
    expect((await listUsers(admin)).users.find((u) => u.id === reviewer.id)?.deactivatedAt).toBeInstanceOf(Date);
    await reactivateUser(admin, { userId: reviewer.id });
    expect(await maySignIn(reviewer.id)).toBe(true);
    await expect(deactivateUser(admin, { userId: admin.id })).rejects.toThrow(/your own account/);
  });

  it('import sources are listed apart and cannot be given a role, a password or be deactivated', async () => {
    await db().user.create({ data: { id: 'imp', email: 'import@batch.jsonl', name: 'Import: batch.jsonl', role: 'reviewer' } });
    expect((await listUsers(admin)).users.map((u) => u.email)).not.toContain('import@batch.jsonl');
    expect((await listImportSources(admin)).map((u) => u.email)).toEqual(['import@batch.jsonl']);
    await expect(setUserRole(admin, { userId: 'imp', role: 'admin' })).rejects.toThrow(/import source/);
    await expect(resetUserPassword(admin, { userId: 'imp', password: 'a brand new password' })).rejects.toThrow(/import source/);
    await expect(deactivateUser(admin, { userId: 'imp' })).rejects.toThrow(/import source/);
    expect(await maySignIn('imp')).toBe(false);
    expect(await roleOf('imp')).toBe('reviewer');
  });
});

describe('the last admin', () => {
  it('cannot be demoted or deactivated, by themselves or by anyone', async () => {
    await expect(setUserRole(admin, { userId: admin.id, role: 'reviewer' })).rejects.toThrow(/last admin/);
    const other = await addUser(admin, { email: 'second@test.io', password: PW, role: 'admin' });
    await deactivateUser(admin, { userId: other.id });
    // A deactivated admin does not count: the remaining one is still the last.
    await expect(setUserRole(admin, { userId: admin.id, role: 'ml_lead' })).rejects.toBeInstanceOf(ConflictError);
    await reactivateUser(admin, { userId: other.id });
    const otherActor: Actor = { id: other.id, email: 'second@test.io', name: 'second', role: 'admin' };
    await setUserRole(otherActor, { userId: admin.id, role: 'reviewer' });
    // The former admin's next request carries their new role (getActor reads it per request).
    await expect(deactivateUser({ ...admin, role: 'reviewer' }, { userId: other.id })).rejects.toThrow(/needs the admin role/);
    // Even through a stale actor, the last admin cannot be deactivated.
    await expect(deactivateUser(admin, { userId: other.id })).rejects.toThrow(/last admin/);
    await expect(setUserRole(otherActor, { userId: other.id, role: 'reviewer' })).rejects.toThrow(/last admin/);
    await expect(deactivateUser(otherActor, { userId: other.id })).rejects.toThrow(/own account/);
  });

  it('two concurrent demotions of the only two admins leave exactly one admin (10 trials)', async () => {
    const second = await addUser(admin, { email: 'second@test.io', password: PW, role: 'admin' });
    const secondActor: Actor = { id: second.id, email: 'second@test.io', name: 'second', role: 'admin' };
    const outcomes: string[] = [];
    for (let trial = 0; trial < 10; trial++) {
      await db().user.updateMany({ where: { id: { in: [admin.id, second.id] } }, data: { role: 'admin', deactivatedAt: null } });
      // Alternate between each demoting the other and each demoting themselves.
      const [a, b] =
        trial % 2 === 0
          ? [setUserRole(admin, { userId: second.id, role: 'reviewer' }), setUserRole(secondActor, { userId: admin.id, role: 'reviewer' })]
          : [setUserRole(admin, { userId: admin.id, role: 'reviewer' }), setUserRole(secondActor, { userId: second.id, role: 'reviewer' })];
      const results = await Promise.allSettled([a, b]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ConflictError);
      outcomes.push((refused.reason as Error).message);
      expect(await db().user.count({ where: { role: 'admin' } })).toBe(1);
    }
    expect(new Set(outcomes)).toEqual(new Set(['That would demote the last admin: make someone else admin first.']));
  });

  it('a concurrent demotion and deactivation of the only two admins leave one active admin', async () => {
    const second = await addUser(admin, { email: 'second@test.io', password: PW, role: 'admin' });
    const secondActor: Actor = { id: second.id, email: 'second@test.io', name: 'second', role: 'admin' };
    for (let trial = 0; trial < 5; trial++) {
      await db().user.updateMany({ where: { id: { in: [admin.id, second.id] } }, data: { role: 'admin', deactivatedAt: null } });
      await Promise.allSettled([deactivateUser(admin, { userId: second.id }), setUserRole(secondActor, { userId: admin.id, role: 'reviewer' })]);
      expect(await db().user.count({ where: { role: 'admin', deactivatedAt: null } })).toBe(1);
    }
  });
});
