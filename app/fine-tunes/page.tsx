import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { optionalPageId } from '@/lib/boundary/page-params';
import { canLaunchFineTunes, listFineTunes } from '@/lib/finetunes/queries';
import { formatDateTime } from '@/components/ui/format-time';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { FineTuneStatusBadge, formatDuration } from '@/components/finetunes/status-badge';

export const metadata: Metadata = { title: 'Fine-tunes' };

export default async function FineTunesPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const actor = await actorOrSignIn('/fine-tunes');
  const beforeId = optionalPageId(before);
  const { runs, nextBefore } = await listFineTunes(actor, { before: beforeId });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Fine-tunes</h1>
          <p className="text-sm text-slate-600">
            Training runs launched from dataset versions, on the bundled local trainer or any OpenAI-compatible provider.
          </p>
        </div>
        {canLaunchFineTunes(actor) && (
          <Link href="/fine-tunes/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            Launch a fine-tune
          </Link>
        )}
      </div>
      {runs.length === 0 && !beforeId ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">No fine-tunes yet.</p>
      ) : (
        <DataTable columns={['Run', 'Dataset', 'Provider / base model', 'Status', 'Duration', 'Fine-tuned model', 'Created']} caption="Fine-tune runs">
          {runs.map((r) => (
            <tr key={r.id} className="border-t border-slate-100">
              <td className="px-3 py-2">
                <Link href={`/fine-tunes/${r.id}`} className="font-medium text-indigo-700 hover:underline">
                  #{r.id}
                </Link>
              </td>
              <td className="px-3 py-2">
                <Link href={`/datasets/${r.datasetVersion.id}`} className="hover:underline">
                  {r.dataset.name} v{r.datasetVersion.version}
                </Link>
              </td>
              <td className="px-3 py-2 text-xs">
                {r.provider} · <span className="font-mono">{r.baseModel}</span>
              </td>
              <td className="px-3 py-2">
                <FineTuneStatusBadge status={r.status} />
              </td>
              <td className="px-3 py-2 tabular-nums">{formatDuration(r.durationSeconds)}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.fineTunedModel ?? '—'}</td>
              <td className="px-3 py-2 text-xs">
                {formatDateTime(r.createdAt)}
                <div className="text-slate-500">{r.createdBy.email}</div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <PaginationNav prevHref={beforeId ? '/fine-tunes' : null} prevLabel="← Newest" nextHref={nextBefore ? `/fine-tunes?before=${nextBefore}` : null} />
    </div>
  );
}
