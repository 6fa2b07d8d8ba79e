// Accounts: created by the CLI or an admin; roles changed by admins only.
import { z } from 'zod';
import { db } from '../db';
import { auth } from './auth';
import { assertRole, type Actor } from './session';
import { roleSchema, type Role } from './roles';

export const createUserInput = z.object({
  email: z.email({ error: 'email must be a valid address' }).transform((e) => e.toLowerCase()),
  password: z.string().min(8, 'password must be at least 8 characters').max(200),
  role: roleSchema,
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

/** Creates the user, or updates password/role/name of an existing one (idempotent). */
export async function upsertUserWithPassword(input: CreateUserInput): Promise<{ id: string; created: boolean }> {
  const data = createUserInput.parse(input);
  const ctx = await auth().$context;
  const hash = await ctx.password.hash(data.password);
  const name = data.name ?? data.email.split('@')[0];
  const prisma = db();
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: data.email } });
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: data.role, name: data.name ?? existing.name } })
      : await tx.user.create({ data: { id: crypto.randomUUID(), email: data.email, name, role: data.role, emailVerified: true } });
    const account = await tx.account.findFirst({ where: { userId: user.id, providerId: 'credential' } });
    if (account) await tx.account.update({ where: { id: account.id }, data: { password: hash } });
    else
      await tx.account.create({
        data: { id: crypto.randomUUID(), userId: user.id, accountId: user.id, providerId: 'credential', password: hash },
      });
    return { id: user.id, created: !existing };
  });
}

export const USERS_PAGE_SIZE = 50;

/** Users by email, a page at a time (keyset on the unique email). */
export async function listUsers(actor: Actor, opts: { after?: string } = {}) {
  assertRole(actor, 'admin');
  const rows = await db().user.findMany({
    where: opts.after ? { email: { gt: opts.after } } : undefined,
    orderBy: { email: 'asc' },
    take: USERS_PAGE_SIZE + 1,
    select: { id: true, email: true, name: true, role: true, createdAt: true, _count: { select: { labels: true } } },
  });
  const users = rows.slice(0, USERS_PAGE_SIZE);
  return { users, nextAfter: rows.length > USERS_PAGE_SIZE ? users.at(-1)!.email : null };
}

export const setRoleInput = z.object({ userId: z.string().min(1), role: roleSchema });

export async function setUserRole(actor: Actor, input: z.input<typeof setRoleInput>): Promise<void> {
  assertRole(actor, 'admin');
  const { userId, role } = setRoleInput.parse(input);
  if (userId === actor.id && role !== 'admin') {
    // An admin demoting themselves could leave the Studio with no admin at all.
    const admins = await db().user.count({ where: { role: 'admin' } });
    if (admins <= 1) throw new Error('You are the last admin: make someone else admin first.');
  }
  const updated = await db().user.updateMany({ where: { id: userId }, data: { role: role as Role } });
  if (updated.count === 0) throw new Error('No such user.');
}
