'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { APIError } from 'better-auth/api';
import { auth } from '@/lib/auth/auth';

const signInForm = z.object({
  email: z.email({ error: 'Enter a valid email address.' }),
  password: z.string().min(1, 'Enter your password.'),
  next: z.string().optional(),
});

export interface SignInState {
  error: string | null;
  email: string;
}

// Only same-site paths: never bounce a user to another origin after sign-in.
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/conversations';
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInForm.safeParse(Object.fromEntries(form));
  const email = String(form.get('email') ?? '');
  if (!parsed.success) return { error: parsed.error.issues[0].message, email };
  try {
    await auth().api.signInEmail({
      body: { email: parsed.data.email.toLowerCase(), password: parsed.data.password },
      headers: await headers(),
    });
  } catch (e) {
    if (e instanceof APIError) return { error: 'Wrong email or password.', email };
    throw e;
  }
  redirect(safeNext(parsed.data.next));
}
