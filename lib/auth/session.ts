// Who is calling. Every page, server action and route handler goes through these, so the
// role check lives here in lib/, server side, and not only in the proxy.
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import 'server-only';
import { db } from '../db';
import { auth } from './auth';
import { isImportSource } from './account-kind';
import { UnauthenticatedError } from './errors';
import { roleSchema, type Role } from './roles';
import { assertRole } from './assert-role';

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** The signed-in user of the current request, or null. Cached per request. */
export const getActor = cache(async (): Promise<Actor | null> => {
  // Read the request first: that marks the page dynamic before anything touches the database.
  // The cookies come from cookies(), not the request's Cookie header: after a server action
  // replaced the session cookie (change-password starts a new session), the page rendered in
  // the same response must see the new one.
  const requestHeaders = new Headers(await headers());
  requestHeaders.set('cookie', (await cookies()).toString());
  const session = await auth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  // Read the account itself, not the session's copy: a deactivation or a role change made a
  // moment ago by an admin applies to this very request.
  const u = await db().user.findUnique({ where: { id: session.user.id }, select: { id: true, email: true, name: true, role: true, deactivatedAt: true } });
  if (!u || u.deactivatedAt || isImportSource(u.email)) return null;
  const role = roleSchema.safeParse(u.role);
  return { id: u.id, email: u.email, name: u.name, role: role.success ? role.data : 'reviewer' };
});

export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new UnauthenticatedError();
  return actor;
}

export { assertRole };

export async function requireRole(...roles: Role[]): Promise<Actor> {
  const actor = await requireActor();
  assertRole(actor, ...roles);
  return actor;
}
