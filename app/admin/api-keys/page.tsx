import type { Metadata } from 'next';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { listApiKeys } from '@/lib/advisor/api-keys';
import { ForbiddenError } from '@/lib/errors';
import { DataTable } from '@/components/ui/data-table';
import { Forbidden } from '@/components/ui/forbidden';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { formatDateTime } from '@/components/ui/format-time';
import { CreateApiKeyForm } from '@/components/advisor/create-api-key-form';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const actor = await actorOrSignIn('/admin/api-keys');
  let keys;
  try {
    keys = await listApiKeys(actor);
  } catch (e) {
    if (e instanceof ForbiddenError) return <Forbidden message={e.message} />;
    throw e;
  }
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-slate-600">
          Keys for machine clients (the chatbot) of <code>/api/v1</code>, e.g. <code>POST /api/v1/advisor/decisions</code> (see{' '}
          <a href="/api/v1/openapi.json" className="text-indigo-700 hover:underline">
            the OpenAPI document
          </a>
          ). A key can call nothing else, and a browser session cannot call <code>/api/v1</code>.
        </p>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Create a key</h2>
        <CreateApiKeyForm action={createApiKeyAction} />
      </section>
      <DataTable columns={['Name', 'Prefix', 'Rate', 'Created', 'Last used', 'Status', '']} caption="API keys">
        {keys.length === 0 && (
          <tr>
            <td colSpan={7} className="px-3 py-4 text-center text-slate-500">
              No keys yet.
            </td>
          </tr>
        )}
        {keys.map((k) => (
          <tr key={k.id} className="border-t border-slate-100" data-testid="api-key-row">
            <td className="px-3 py-2">{k.name}</td>
            <td className="px-3 py-2 font-mono text-xs">eas_{k.prefix}_…</td>
            <td className="px-3 py-2 text-xs tabular-nums">{k.ratePerMinute.toLocaleString('en-US')}/min</td>
            <td className="px-3 py-2 text-xs">
              {formatDateTime(k.createdAt)}
              <div className="text-slate-500">{k.createdBy}</div>
            </td>
            <td className="px-3 py-2 text-xs">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never'}</td>
            <td className="px-3 py-2 text-xs">{k.revokedAt ? `revoked ${formatDateTime(k.revokedAt)}` : 'active'}</td>
            <td className="px-3 py-2">
              {!k.revokedAt && (
                <ConfirmAction
                  action={revokeApiKeyAction}
                  trigger="Revoke"
                  title={`Revoke the key "${k.name}"?`}
                  confirm="Revoke"
                  danger
                  hidden={{ id: String(k.id) }}
                >
                  <p>Requests with this key get 401 from now on. This cannot be undone; create a new key instead.</p>
                </ConfirmAction>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
