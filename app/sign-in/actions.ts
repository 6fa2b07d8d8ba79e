'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { APIError } from 'better-auth/api';
import { auth } from '@/lib/auth/auth';
import { TOO_MANY_ATTEMPTS } from '@/lib/auth/auth-throttle-plugin';
import { safeNextPath } from '@/lib/auth/safe-next-path';

const signInForm = z.object({
  email: z.email({ error: 'Enter a valid email address.' }).max(320),
  password: z.string().min(1, 'Enter your password.').max(200, 'Wrong email or password.'),
  next: z.string().optional(),
});

export interface SignInState {
  error: string | null;
  email: string;
  /** Set when sign-in is throttled: seconds until the next attempt is accepted. */
  retryAfterSeconds?: number;
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInForm.safeParse(Object.fromEntries(form));
  const email = String(form.get('email') ?? '').slice(0, 320);
  if (!parsed.success) return { error: parsed.error.issues[0].message, email };
  try {
    await auth().api.signInEmail({
      body: { email: parsed.data.email.toLowerCase(), password: parsed.data.password },
      headers: await headers(),
    });
  } catch (e) {
    if (e instanceof APIError && e.body?.code === TOO_MANY_ATTEMPTS) {
      return { error: e.body.message ?? 'Too many attempts.', email, retryAfterSeconds: Number(e.body.retryAfterSeconds) || undefined };
    }
    if (e instanceof APIError) return { error: 'Wrong email or password.', email };
    throw e;
  }
  redirect(safeNextPath(parsed.data.next));
}
