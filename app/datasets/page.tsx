import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { optionalPageId } from '@/lib/boundary/page-params';
import { canCreateDatasets, listDatasetVersions, splitTotals } from '@/lib/datasets/queries';
import { splitCountsSchema } from '@/lib/datasets/stored-json';
import { parseStoredOrNull } from '@/lib/stored-json';
import { formatDateTime } from '@/components/ui/format-time';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { StatusBadge } from '@/components/datasets/status-badge';

export const metadata: Metadata = { title: 'Datasets' };

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const actor = await actorOrSignIn('/datasets');
  const beforeId = optionalPageId(before);
  const { versions, nextBefore } = await listDatasetVersions(actor, { before: beforeId });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Datasets</h1>
          <p className="text-sm text-slate-600">
            Frozen, versioned snapshots of labeled turns, split by conversation into train / validation / test and ready to export as OpenAI fine-tuning JSONL.
          </p>
        </div>
        {canCreateDatasets(actor) && (
          <Link href="/datasets/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            New dataset
          </Link>
        )}
      </div>
      {versions.length === 0 && !beforeId ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No datasets yet.
          {canCreateDatasets(actor) ? ' Create one from the labeled turns with “New dataset”.' : ' An ML lead creates them from the labeled turns.'}
        </p>
      ) : (
        <DataTable columns={['Dataset', 'Status', 'Train / Val / Test', 'Content hash', 'Created']} caption="Dataset versions">
          {versions.map((v) => {
            const t = splitTotals(parseStoredOrNull(splitCountsSchema, v.counts, 'dataset_versions.counts'));
            return (
              <tr key={v.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <Link href={`/datasets/${v.id}`} className="font-medium text-indigo-700 hover:underline">
                    {v.dataset.name} <span className="text-slate-500">v{v.version}</span>
                  </Link>
                </td>
                <td className="px-3 py-2">
                  <StatusBadge status={v.status} />
                  {v.status === 'building' && v.progressTotal > 0 && (
                    <span className="ml-2 text-xs text-slate-500">{Math.round((v.progressDone / v.progressTotal) * 100)}%</span>
                  )}
                </td>
                <td className="px-3 py-2 tabular-nums">
                  {v.status === 'ready'
                    ? `${t.train.toLocaleString('en-US')} / ${t.validation.toLocaleString('en-US')} / ${t.test.toLocaleString('en-US')}`
                    : '—'}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{v.contentHash ? v.contentHash.slice(0, 12) : '—'}</td>
                <td className="px-3 py-2 text-xs">
                  {formatDateTime(v.createdAt)}
                  <div className="text-slate-500">{v.createdBy.email}</div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <PaginationNav prevHref={beforeId ? '/datasets' : null} prevLabel="← Newest" nextHref={nextBefore ? `/datasets?before=${nextBefore}` : null} />
    </div>
  );
}
