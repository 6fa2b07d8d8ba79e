// People: created by an admin (or from the shell), and then changed only through explicit
// steps — reset password, change role, deactivate, reactivate — each checked here, whatever
// the caller. Import sources (import@<file>) are listed apart and cannot be changed.
import 'server-only';
import { z } from 'zod';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { ConflictError, InputError, NotFoundError } from '../errors';
import { auth } from './auth';
import { assertRole, type Actor } from './session';
import { roleSchema, type Role } from './roles';
import { passwordProblem } from './password-policy';
import { IMPORT_SOURCE_PREFIX, isImportSource } from './account-kind';

type Tx = Prisma.TransactionClient;

const emailSchema = z.email({ error: 'email must be a valid address' }).transform((e) => e.toLowerCase());
const passwordSchema = z.string({ error: 'password must be text' });

export const createUserInput = z
  .object({
    email: emailSchema.refine((e) => !isImportSource(e), `addresses starting with ${IMPORT_SOURCE_PREFIX} are kept for import sources`),
    password: passwordSchema,
    role: roleSchema,
    name: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
export type CreateUserInput = z.input<typeof createUserInput>;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw InputError.ofZod(r.error);
  return r.data;
}

async function hashPassword(password: string): Promise<string> {
  return (await auth().$context).password.hash(password);
}

async function setCredential(tx: Tx, userId: string, hash: string): Promise<void> {
  const account = await tx.account.findFirst({ where: { userId, providerId: 'credential' } });
  if (account) await tx.account.update({ where: { id: account.id }, data: { password: hash } });
  else await tx.account.create({ data: { id: crypto.randomUUID(), userId, accountId: userId, providerId: 'credential', password: hash } });
}

// Signs the person out everywhere: the session rows are the sessions (better-auth keeps no
// cookie cache here), so once they are gone every browser of theirs is refused.
async function endSessions(tx: Tx, userId: string): Promise<number> {
  return (await tx.session.deleteMany({ where: { userId } })).count;
}

async function insertUser(tx: Tx, data: z.output<typeof createUserInput>, hash: string) {
  const user = await tx.user.create({
    data: { id: crypto.randomUUID(), email: data.email, name: data.name ?? data.email.split('@')[0], role: data.role, emailVerified: true },
  });
  await setCredential(tx, user.id, hash);
  return user;
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown })?.code === 'P2002';
}

const taken = (email: string) =>
  new InputError([{ field: 'email', message: `${email} already has an account; reset its password or change its role in the list below instead` }]);

/** A new account. An address that already has one is refused: nothing about that person changes. */
export async function createUser(input: CreateUserInput): Promise<{ id: string }> {
  const data = parse(createUserInput, input);
  const hash = await hashPassword(data.password);
  try {
    const user = await db().$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) throw taken(data.email);
      return insertUser(tx, data, hash);
    });
    return { id: user.id };
  } catch (e) {
    if (isUniqueViolation(e)) throw taken(data.email); // a concurrent create of the same address
    throw e;
  }
}

/** Admin only: "Add a user". */
export async function addUser(actor: Actor, input: CreateUserInput): Promise<{ id: string }> {
  assertRole(actor, 'admin');
  return createUser(input);
}

/**
 * From the shell only (first setup, `npm run user -- create --reset`, test set-up): creates the
 * account, or sets the password and role of an existing one and ends its sessions. No page
 * calls this; admins use the explicit steps below.
 */
export async function upsertUserWithPassword(input: CreateUserInput): Promise<{ id: string; created: boolean }> {
  const data = parse(createUserInput, input);
  const hash = await hashPassword(data.password);
  return db().$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: data.email } });
    if (!existing) return { id: (await insertUser(tx, data, hash)).id, created: true };
    await tx.user.update({ where: { id: existing.id }, data: { role: data.role, name: data.name ?? existing.name, deactivatedAt: null } });
    await setCredential(tx, existing.id, hash);
    await endSessions(tx, existing.id);
    return { id: existing.id, created: false };
  });
}

export const USERS_PAGE_SIZE = 50;

const notImport = { NOT: { email: { startsWith: IMPORT_SOURCE_PREFIX } } } satisfies Prisma.UserWhereInput;

/** People (not import sources) by email, a page at a time (keyset on the unique email). */
export async function listUsers(actor: Actor, opts: { after?: string } = {}) {
  assertRole(actor, 'admin');
  const rows = await db().user.findMany({
    where: { ...notImport, ...(opts.after ? { email: { gt: opts.after } } : {}) },
    orderBy: { email: 'asc' },
    take: USERS_PAGE_SIZE + 1,
    select: { id: true, email: true, name: true, role: true, createdAt: true, deactivatedAt: true, _count: { select: { labels: true } } },
  });
  const users = rows.slice(0, USERS_PAGE_SIZE);
  return { users, nextAfter: rows.length > USERS_PAGE_SIZE ? users.at(-1)!.email : null };
}

/** The pseudo-accounts that own imported labels, newest first (a page: they are few). */
export async function listImportSources(actor: Actor, opts: { take?: number } = {}) {
  assertRole(actor, 'admin');
  return db().user.findMany({
    where: { email: { startsWith: IMPORT_SOURCE_PREFIX } },
    orderBy: { createdAt: 'desc' },
    take: Math.min(opts.take ?? 100, 500),
    select: { id: true, email: true, name: true, createdAt: true, _count: { select: { labels: true } } },
  });
}

const userIdSchema = z.string({ error: 'choose a user' }).min(1, 'choose a user').max(100);

// The person an admin acts on, locked for the rest of the transaction. Import sources are
// not people: none of the steps below apply to them.
async function lockPerson(tx: Tx, userId: string) {
  const rows = await tx.$queryRaw<{ id: string; email: string; role: Role; deactivated_at: Date | null }[]>`
    SELECT id, email, role::text AS role, deactivated_at FROM users WHERE id = ${userId} FOR UPDATE`;
  const user = rows[0];
  if (!user) throw new NotFoundError('That user does not exist (any more).');
  if (isImportSource(user.email)) throw new ConflictError(`${user.email} is an import source, not a person: it has no password or role and cannot sign in.`);
  return user;
}

/**
 * Locks every active admin (FOR UPDATE, in id order) before anything else in the transaction,
 * so two admins demoting or deactivating each other at the same moment are serialised — the
 * second sees the first one's change — and always lock in the same order (no deadlock).
 */
async function lockActiveAdmins(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL ORDER BY id FOR UPDATE`;
  return rows.map((r) => r.id);
}

function assertAnotherAdminRemains(activeAdmins: string[], userId: string, what: string): void {
  if (!activeAdmins.some((id) => id !== userId)) throw new ConflictError(`That would ${what} the last admin: make someone else admin first.`);
}

export const setRoleInput = z.object({ userId: userIdSchema, role: roleSchema });

export async function setUserRole(actor: Actor, input: z.input<typeof setRoleInput>): Promise<void> {
  assertRole(actor, 'admin');
  const { userId, role } = parse(setRoleInput, input);
  await db().$transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const user = await lockPerson(tx, userId);
    if (user.role === role) return;
    if (user.role === 'admin' && !user.deactivated_at) assertAnotherAdminRemains(admins, userId, 'demote');
    await tx.user.update({ where: { id: userId }, data: { role } });
  });
}

export const resetPasswordInput = z.object({ userId: userIdSchema, password: passwordSchema });

/** Sets a new password and ends every session of that person (the old one may be known). */
export async function resetUserPassword(actor: Actor, input: z.input<typeof resetPasswordInput>): Promise<{ sessionsEnded: number }> {
  assertRole(actor, 'admin');
  const { userId, password } = parse(resetPasswordInput, input);
  const target = await db().user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!target) throw new NotFoundError('That user does not exist (any more).');
  const problem = passwordProblem(password, target.email);
  if (problem) throw InputError.of('password', problem);
  const hash = await hashPassword(password);
  return db().$transaction(async (tx) => {
    await lockPerson(tx, userId);
    await setCredential(tx, userId, hash);
    return { sessionsEnded: await endSessions(tx, userId) };
  });
}

export const userRefInput = z.object({ userId: userIdSchema });

/** Signs that person out everywhere and keeps them out until reactivated. Labels stay. */
export async function deactivateUser(actor: Actor, input: z.input<typeof userRefInput>): Promise<{ sessionsEnded: number }> {
  assertRole(actor, 'admin');
  const { userId } = parse(userRefInput, input);
  if (userId === actor.id) throw new ConflictError('You cannot deactivate your own account; another admin can.');
  return db().$transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const user = await lockPerson(tx, userId);
    if (user.role === 'admin' && !user.deactivated_at) assertAnotherAdminRemains(admins, userId, 'deactivate');
    if (!user.deactivated_at) await tx.user.update({ where: { id: userId }, data: { deactivatedAt: new Date() } });
    return { sessionsEnded: await endSessions(tx, userId) };
  });
}

export async function reactivateUser(actor: Actor, input: z.input<typeof userRefInput>): Promise<void> {
  assertRole(actor, 'admin');
  const { userId } = parse(userRefInput, input);
  await db().$transaction(async (tx) => {
    await lockPerson(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { deactivatedAt: null } });
  });
}

/** For sign-in: a deactivated account or an import source gets no session. */
export async function maySignIn(userId: string): Promise<boolean> {
  const u = await db().user.findUnique({ where: { id: userId }, select: { email: true, deactivatedAt: true } });
  return Boolean(u && !u.deactivatedAt && !isImportSource(u.email));
}
