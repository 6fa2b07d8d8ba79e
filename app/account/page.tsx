import type { Metadata } from 'next';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { PASSWORD_RULE } from '@/lib/auth/password-policy';
import { ROLE_NAMES } from '@/lib/auth/roles';
import { ChangePasswordForm } from './change-password-form';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const actor = await actorOrSignIn('/account');
  return (
    <div className="max-w-md space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Your account</h1>
        <p className="text-sm text-slate-600">
          {actor.email} · {ROLE_NAMES[actor.role]}
        </p>
      </div>
      <section aria-labelledby="change-password" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="change-password" className="mb-1 font-medium">
          Change password
        </h2>
        <p className="mb-4 text-sm text-slate-600">A new password needs {PASSWORD_RULE}. Changing it signs you out on every other device.</p>
        <ChangePasswordForm email={actor.email} />
      </section>
    </div>
  );
}
