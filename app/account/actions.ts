'use server';

import { headers } from 'next/headers';
import { changeOwnPassword } from '@/lib/auth/change-password';

export interface ChangePasswordState {
  message: string | null;
  formError: string | null;
  errors: Record<string, string>;
}

export async function changePasswordAction(_prev: ChangePasswordState, form: FormData): Promise<ChangePasswordState> {
  const result = await changeOwnPassword(await headers(), Object.fromEntries(form));
  if (result.ok) return { message: 'Password changed. You were signed out everywhere else.', formError: null, errors: {} };
  if (result.field) return { message: null, formError: null, errors: { [result.field]: result.message } };
  return { message: null, formError: result.message, errors: {} };
}
