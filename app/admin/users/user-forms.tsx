'use client';

import { useActionState } from 'react';
import { ROLES, ROLE_NAMES, type Role } from '@/lib/auth/roles';
import { createUserAction, setRoleAction, type AdminFormState } from './actions';

const empty: AdminFormState = { message: null, error: null };

export function RoleForm({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const [state, action, pending] = useActionState(setRoleAction, empty);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role} className="rounded border border-slate-300 px-2 py-1">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_NAMES[r]}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className="rounded border px-2 py-1 hover:bg-slate-100">
        Save
      </button>
      {state.message && <span className="text-xs text-emerald-700">{state.message}</span>}
      {state.error && (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, empty);
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-5 sm:items-end">
      <label className="text-sm">
        Email
        <input name="email" type="email" required className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      <label className="text-sm">
        Name
        <input name="name" className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      <label className="text-sm">
        Password
        <input name="password" type="password" minLength={8} required className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      <label className="text-sm">
        Role
        <select name="role" defaultValue="reviewer" className="mt-1 w-full rounded border border-slate-300 px-2 py-1">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700">
        Create or update
      </button>
      {(state.message || state.error) && (
        <p role={state.error ? 'alert' : 'status'} className={`sm:col-span-5 text-sm ${state.error ? 'text-red-700' : 'text-emerald-700'}`}>
          {state.error ?? state.message}
        </p>
      )}
    </form>
  );
}
