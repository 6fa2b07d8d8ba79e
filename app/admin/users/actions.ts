'use server';

import { revalidatePath } from 'next/cache';
import { ZodError } from 'zod';
import { requireActor } from '@/lib/auth/session';
import { AuthError } from '@/lib/auth/errors';
import { setUserRole, upsertUserWithPassword } from '@/lib/auth/users';
import { assertRole } from '@/lib/auth/session';

export interface AdminFormState {
  message: string | null;
  error: string | null;
}

function explain(e: unknown): string {
  if (e instanceof ZodError) return e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  if (e instanceof AuthError || e instanceof Error) return e.message;
  return 'Something went wrong.';
}

export async function setRoleAction(_prev: AdminFormState, form: FormData): Promise<AdminFormState> {
  try {
    const actor = await requireActor();
    await setUserRole(actor, { userId: String(form.get('userId') ?? ''), role: String(form.get('role') ?? '') as never });
    revalidatePath('/admin/users');
    return { message: 'Role saved.', error: null };
  } catch (e) {
    return { message: null, error: explain(e) };
  }
}

export async function createUserAction(_prev: AdminFormState, form: FormData): Promise<AdminFormState> {
  try {
    const actor = await requireActor();
    assertRole(actor, 'admin');
    const res = await upsertUserWithPassword({
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      role: String(form.get('role') ?? '') as never,
      name: String(form.get('name') ?? '') || undefined,
    });
    revalidatePath('/admin/users');
    return { message: res.created ? 'User created.' : 'Existing user updated.', error: null };
  } catch (e) {
    return { message: null, error: explain(e) };
  }
}
