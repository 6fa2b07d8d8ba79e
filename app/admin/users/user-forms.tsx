'use client';

import { useActionState, useState } from 'react';
import { ROLES, ROLE_NAMES, type Role } from '@/lib/auth/roles';
import { PASSWORD_RULE } from '@/lib/auth/password-policy';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { describedBy, FieldError, inputClass } from '@/components/ui/form-errors';
import { addUserAction, deactivateUserAction, reactivateUserAction, resetPasswordAction, setRoleAction } from './actions';

export function AddUserForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(addUserAction, initialFormState());
  const e = state.fieldErrors;
  const v = state.values ?? {};
  return (
    <form key={state.attempt} action={action} className="grid gap-3 sm:grid-cols-5 sm:items-start" noValidate>
      <div className="text-sm">
        <label htmlFor="new-email">Email</label>
        <input id="new-email" name="email" type="email" required defaultValue={v.email} className={inputClass} {...describedBy(e, 'email')} />
        <FieldError field="email" errors={e} />
      </div>
      <div className="text-sm">
        <label htmlFor="new-name">Name</label>
        <input id="new-name" name="name" defaultValue={v.name} className={inputClass} {...describedBy(e, 'name')} />
        <FieldError field="name" errors={e} />
      </div>
      <div className="text-sm">
        <label htmlFor="new-password">Password</label>
        <input id="new-password" name="password" type="password" autoComplete="new-password" required className={inputClass} {...describedBy(e, 'password')} />
        <FieldError field="password" errors={e} />
      </div>
      <div className="text-sm">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" name="role" defaultValue={v.role ?? 'reviewer'} className={inputClass}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={pending} className="mt-5 rounded bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700 disabled:opacity-60">
        Add user
      </button>
      <p className="text-xs text-slate-500 sm:col-span-5">
        Password: {PASSWORD_RULE}. An address that already has an account is refused; change that person in the list below.
      </p>
      {state.ok && state.message && (
        <p role="status" className="text-sm text-emerald-700 sm:col-span-5">
          {state.message}
        </p>
      )}
      {formError(state) && (
        <p role="alert" className="text-sm text-red-700 sm:col-span-5">
          {formError(state)}
        </p>
      )}
    </form>
  );
}

/** Change role, reset password, deactivate / reactivate: each its own step with a confirmation. */
export function PersonActions({ userId, email, role, deactivated }: { userId: string; email: string; role: Role; deactivated: boolean }) {
  const [newRole, setNewRole] = useState<Role>(role);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <select
        id={`role-${userId}`}
        value={newRole}
        onChange={(ev) => setNewRole(ev.target.value as Role)}
        className="rounded border border-slate-300 px-2 py-1 text-xs"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_NAMES[r]}
          </option>
        ))}
      </select>
      <ConfirmAction
        action={setRoleAction}
        trigger="Change role…"
        disabled={newRole === role}
        title={`Change the role of ${email}?`}
        confirm="Change role"
        hidden={{ userId, role: newRole }}
      >
        <p>
          From <strong>{ROLE_NAMES[role]}</strong> to <strong>{ROLE_NAMES[newRole]}</strong>. It applies to their next request.
        </p>
      </ConfirmAction>
      <ConfirmAction
        action={resetPasswordAction}
        trigger="Reset password…"
        title={`Reset the password of ${email}?`}
        confirm="Reset password"
        hidden={{ userId }}
        danger
      >
        <p>They are signed out everywhere and sign in again with the new password. Tell them it in person.</p>
        <label className="block">
          New password
          <input name="password" type="password" autoComplete="new-password" required className={inputClass} />
        </label>
        <p className="text-xs text-slate-500">{PASSWORD_RULE}</p>
      </ConfirmAction>
      {deactivated ? (
        <ConfirmAction action={reactivateUserAction} trigger="Reactivate…" title={`Reactivate ${email}?`} confirm="Reactivate" hidden={{ userId }}>
          <p>They can sign in again with their password, with the role shown.</p>
        </ConfirmAction>
      ) : (
        <ConfirmAction action={deactivateUserAction} trigger="Deactivate…" title={`Deactivate ${email}?`} confirm="Deactivate" hidden={{ userId }} danger>
          <p>They are signed out at once and cannot sign in until an admin reactivates them. Their labels stay.</p>
        </ConfirmAction>
      )}
    </div>
  );
}
