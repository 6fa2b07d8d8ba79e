// A signed-in person changes their own password. better-auth checks the current one (through
// the sign-in throttle), the password rule applies (auth-password-plugin) and every other
// session of theirs ends; this browser gets a fresh session.
import { z } from 'zod';
import { APIError } from 'better-auth/api';
import { auth } from './auth';
import { TOO_MANY_ATTEMPTS } from './auth-throttle-plugin';
import { WEAK_PASSWORD } from './auth-password-plugin';

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(200),
    newPassword: z.string().max(200, 'Password must be at most 200 characters.'),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords differ.' });

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'newPassword' | 'confirmPassword' | null; message: string };

export async function changeOwnPassword(requestHeaders: Headers, input: unknown): Promise<ChangePasswordResult> {
  const parsed = changePasswordInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, field: issue.path[0] as 'currentPassword' | 'newPassword' | 'confirmPassword', message: issue.message };
  }
  try {
    await auth().api.changePassword({
      body: { currentPassword: parsed.data.currentPassword, newPassword: parsed.data.newPassword, revokeOtherSessions: true },
      headers: requestHeaders,
    });
    return { ok: true };
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    const code = e.body?.code;
    if (code === WEAK_PASSWORD || code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_TOO_LONG')
      return { ok: false, field: 'newPassword', message: e.body?.message ?? 'Choose a stronger password.' };
    if (code === 'INVALID_PASSWORD') return { ok: false, field: 'currentPassword', message: 'That is not your current password.' };
    if (code === TOO_MANY_ATTEMPTS) return { ok: false, field: null, message: e.body?.message ?? 'Too many attempts.' };
    if (e.statusCode === 401) return { ok: false, field: null, message: 'Your session has ended; sign in again.' };
    throw e;
  }
}
