'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { authedFormAction } from '@/lib/boundary/server-action';
import { addUser, deactivateUser, reactivateUser, resetUserPassword, setUserRole } from '@/lib/auth/users';
import { ROLE_NAMES, roleSchema } from '@/lib/auth/roles';

const admin = ['admin'] as const;
const userId = z.string().default('');

export const addUserAction = authedFormAction(
  {
    name: 'addUser',
    roles: admin,
    input: z.object({ email: z.string().default(''), name: z.string().trim().optional(), password: z.string().default(''), role: z.string().default('') }),
  },
  async (f, { actor }) => {
    await addUser(actor, { email: f.email, password: f.password, role: f.role as never, name: f.name || undefined });
    revalidatePath('/admin/users');
    return `Added ${f.email.trim().toLowerCase()}.`;
  },
);

export const setRoleAction = authedFormAction(
  { name: 'setRole', roles: admin, input: z.object({ userId, role: roleSchema }) },
  async ({ userId, role }, { actor }) => {
    await setUserRole(actor, { userId, role });
    revalidatePath('/admin/users');
    return `Role changed to ${ROLE_NAMES[role]}.`;
  },
);

export const resetPasswordAction = authedFormAction(
  { name: 'resetPassword', roles: admin, input: z.object({ userId, password: z.string().default('') }) },
  async (input, { actor }) => {
    const { sessionsEnded } = await resetUserPassword(actor, input);
    revalidatePath('/admin/users');
    return `Password reset; ${sessionsEnded === 1 ? '1 session was' : `${sessionsEnded} sessions were`} signed out.`;
  },
);

export const deactivateUserAction = authedFormAction({ name: 'deactivateUser', roles: admin, input: z.object({ userId }) }, async (input, { actor }) => {
  const { sessionsEnded } = await deactivateUser(actor, input);
  revalidatePath('/admin/users');
  return `Deactivated; ${sessionsEnded === 1 ? '1 session was' : `${sessionsEnded} sessions were`} signed out.`;
});

export const reactivateUserAction = authedFormAction({ name: 'reactivateUser', roles: admin, input: z.object({ userId }) }, async (input, { actor }) => {
  await reactivateUser(actor, input);
  revalidatePath('/admin/users');
  return 'Reactivated: they can sign in again.';
});
