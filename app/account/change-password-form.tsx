'use client';

import { useActionState } from 'react';
import { describedBy, FieldError, FormErrorSummary, inputClass } from '@/components/ui/form-errors';
import { changePasswordAction, type ChangePasswordState } from './actions';

const empty: ChangePasswordState = { message: null, formError: null, errors: {} };

export function ChangePasswordForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState(changePasswordAction, empty);
  const field = (name: string, label: string, autoComplete: string) => (
    <div>
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      <input id={name} name={name} type="password" required autoComplete={autoComplete} className={inputClass} {...describedBy(state.errors, name)} />
      <FieldError field={name} errors={state.errors} />
    </div>
  );
  return (
    <form action={action} className="space-y-3">
      {/* Lets a password manager file the new password under the right account. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <FormErrorSummary formError={state.formError} errors={state.errors} nothing="Your password was not changed." />
      {state.message && (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-800">
          {state.message}
        </p>
      )}
      {field('currentPassword', 'Current password', 'current-password')}
      {field('newPassword', 'New password', 'new-password')}
      {field('confirmPassword', 'New password again', 'new-password')}
      <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        {pending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
