import type { Metadata } from 'next';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { ForbiddenError } from '@/lib/errors';
import { getProviderSettingsView } from '@/lib/finetunes/provider-settings';
import { formatDateTime } from '@/components/ui/format-time';
import { Forbidden } from '@/components/ui/forbidden';
import { OpenAiForm } from './openai-form';

export const metadata: Metadata = { title: 'Providers' };

const SOURCE = { env: 'environment', file: 'key file', stored: 'Studio (stored encrypted)' } as const;

export default async function ProvidersPage() {
  const actor = await actorOrSignIn('/admin/providers');
  let views;
  try {
    views = await getProviderSettingsView(actor);
  } catch (e) {
    if (e instanceof ForbiddenError) return <Forbidden message={e.message} />;
    throw e;
  }
  const openai = views.find((v) => v.provider === 'openai');
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Training providers</h1>
      {views.map((v) => (
        <section key={v.provider} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <h2 className="mb-1 font-medium">{v.provider === 'local' ? 'Local trainer (bundled)' : 'OpenAI or compatible'}</h2>
          <p>
            {v.configured ? 'Configured' : 'Not configured'}
            {v.source ? ` — key from the ${SOURCE[v.source]}` : ''}
            {v.keyMasked ? ` (${v.keyMasked})` : ''}
            {v.baseUrl ? ` · ${v.baseUrl}` : ''}
          </p>
          {v.storedOverriddenByEnv && <p className="text-amber-800">OPENAI_API_KEY in the environment overrides the key stored here.</p>}
          {v.storedUnreadable && <p className="text-red-700">The stored key cannot be decrypted (the Studio secret changed); store it again.</p>}
          {v.updatedAt && (
            <p className="text-xs text-slate-500">
              Last changed {formatDateTime(v.updatedAt)}
              {v.updatedBy ? ` by ${v.updatedBy}` : ''}
            </p>
          )}
        </section>
      ))}
      {openai && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">OpenAI key</h2>
          <p className="mb-3 text-xs text-slate-600">
            Encrypted at rest (AES-256-GCM with a key derived from the Studio secret); never sent to the browser, logged or put in a job. OpenAI no longer lets
            new organisations fine-tune and stops all new jobs after 2027-01-06.
          </p>
          <OpenAiForm baseUrl={openai.storedBaseUrl} storedKeyMasked={openai.storedKeyMasked} />
        </section>
      )}
    </div>
  );
}
