import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { ForbiddenError } from '@/lib/errors';
import { getProviderSettingsView } from '@/lib/finetunes/provider-settings';
import { OPENAI_DEFAULT_BASE_URL, TOGETHER_DEFAULT_BASE_URL } from '@/lib/finetunes/providers';
import { formatDateTime } from '@/components/ui/format-time';
import { Forbidden } from '@/components/ui/forbidden';
import { AzureForm } from './azure-form';
import { KeyForm } from './key-form';

export const metadata: Metadata = { title: 'Providers' };

const SOURCE = { env: 'environment', file: 'key file', stored: 'Studio (stored encrypted)' } as const;
const EDITABLE = [
  { id: 'openai', label: 'OpenAI' },
  { id: 'azure', label: 'Azure OpenAI' },
  { id: 'together', label: 'Together AI' },
] as const;
const ENV = { openai: 'OPENAI_API_KEY', azure: 'AZURE_OPENAI_API_KEY', together: 'TOGETHER_API_KEY', local: 'TRAINER_API_KEY' } as const;
const NOTE = {
  local: 'Bundled with the Studio: trains on this machine. Set by TRAINER_URL / TRAINER_API_KEY.',
  openai: 'OpenAI no longer lets new organisations fine-tune and stops all new jobs after 2027-01-06.',
  azure: 'Same fine-tuning protocol as OpenAI; a fine-tuned model must be deployed (shown as “deploying” on the run) before it serves.',
  together: 'Open models (Llama, Qwen, Mistral) with its own fine-tuning API; LoRA by default.',
} as const;

export default async function ProvidersPage({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const actor = await actorOrSignIn('/admin/providers');
  let views;
  try {
    views = await getProviderSettingsView(actor);
  } catch (e) {
    if (e instanceof ForbiddenError) return <Forbidden message={e.message} />;
    throw e;
  }
  const sp = await searchParams;
  const edit = EDITABLE.find((p) => p.id === sp.edit)?.id ?? 'openai';
  const current = views.find((v) => v.provider === edit)!;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Training providers</h1>
      <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm" aria-label="Providers">
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th className="px-3 py-2">Provider</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Key</th>
          </tr>
        </thead>
        <tbody>
          {views.map((v) => (
            <tr key={v.provider} className="border-t border-slate-100 align-top">
              <td className="px-3 py-2">
                <div className="font-medium">{v.name}</div>
                <div className="text-xs text-slate-500">{NOTE[v.provider]}</div>
              </td>
              <td className="px-3 py-2">
                {v.configured ? <span className="text-emerald-700">Ready</span> : <span className="text-amber-800">Not configured</span>}
                {v.baseUrl && <div className="break-all text-xs text-slate-500">{v.baseUrl}</div>}
                {!v.configured && v.problem && <div className="text-xs text-slate-600">{v.problem}</div>}
                {v.storedOverriddenByEnv && (
                  <div className="text-xs text-amber-800">{ENV[v.provider]} in the environment overrides the settings stored here.</div>
                )}
                {v.storedUnreadable && (
                  <div className="text-xs text-red-700">A stored secret cannot be decrypted (the Studio secret changed); store it again.</div>
                )}
              </td>
              <td className="px-3 py-2 text-xs">
                {v.source ? `from the ${SOURCE[v.source]}` : '—'}
                {v.keyMasked ? <code className="ml-1 font-mono">{v.keyMasked}</code> : null}
                {v.updatedAt && (
                  <div className="text-slate-500">
                    changed {formatDateTime(v.updatedAt)}
                    {v.updatedBy ? ` by ${v.updatedBy}` : ''}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <nav aria-label="Provider settings" className="mb-3 flex gap-1 border-b border-slate-100 pb-2 text-sm">
          {EDITABLE.map((p) => (
            <Link
              key={p.id}
              href={`/admin/providers?edit=${p.id}`}
              aria-current={p.id === edit ? 'page' : undefined}
              className={`rounded px-3 py-1 ${p.id === edit ? 'bg-indigo-600 text-white' : 'text-indigo-700 hover:bg-indigo-50'}`}
            >
              {p.label}
            </Link>
          ))}
        </nav>
        <h2 className="mb-2 font-medium">{current.name} settings</h2>
        <p className="mb-3 text-xs text-slate-600">
          Keys and secrets are encrypted at rest (AES-256-GCM with a key derived from the Studio secret); never sent to the browser, logged or put in a job.
          {` ${ENV[edit]}`} in the environment takes precedence.
        </p>
        {edit === 'azure' ? (
          <AzureForm
            stored={{ endpoint: current.storedBaseUrl, ...current.storedOptions }}
            storedKeyMasked={current.storedKeyMasked}
            storedSecretMasked={current.storedSecretMasked}
          />
        ) : (
          <KeyForm
            key={edit}
            provider={edit}
            name={current.name}
            baseUrl={current.storedBaseUrl}
            defaultBaseUrl={edit === 'openai' ? OPENAI_DEFAULT_BASE_URL : TOGETHER_DEFAULT_BASE_URL}
            baseUrlHint={edit === 'openai' ? 'optional: any OpenAI-compatible server' : 'optional'}
            storedKeyMasked={current.storedKeyMasked}
            envVar={ENV[edit]}
          />
        )}
      </section>
    </div>
  );
}
