import type { Metadata } from 'next';
import { modelLabel } from '@/lib/evals/baselines';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { optionalPageId } from '@/lib/boundary/page-params';
import { canStartEvals, listEvalRuns } from '@/lib/evals/queries';
import { formatDateTime } from '@/components/ui/format-time';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { num, pct } from '@/components/evals/format';
import { EvalStatusBadge } from '@/components/evals/eval-status';
import { goldenSummaries } from '@/lib/evals/golden-summary';
import { GOLDEN_CAPTION, GoldenFigures, TrainedOverlapNote } from '@/components/evals/golden-figures';

export const metadata: Metadata = { title: 'Evaluations' };

export default async function EvalsPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const actor = await actorOrSignIn('/evals');
  const beforeId = optionalPageId(before);
  const { runs, nextBefore } = await listEvalRuns(actor, { before: beforeId });
  const golden = await goldenSummaries(
    actor,
    runs.map((r) => r.id),
  );
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Evaluations</h1>
          <p className="text-sm text-slate-600">
            Each run scores one model on one dataset split, and on the golden set ({GOLDEN_CAPTION}) beside it. Open a run for its confusion matrix and errors;
            compare runs on the same version.
          </p>
        </div>
        {canStartEvals(actor) && (
          <Link href="/evals/new" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            Start an evaluation
          </Link>
        )}
      </div>
      {runs.length === 0 && !beforeId ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No evaluations yet. A successful fine-tune starts one for its model and its base automatically.
        </p>
      ) : (
        <DataTable columns={['Model', 'Dataset', 'Split', 'Accuracy', 'Macro-F1', `Golden (${GOLDEN_CAPTION})`, 'Status', 'When']} caption="Evaluation runs">
          {runs.map((r) => (
            <tr key={r.id} className="border-t border-slate-100">
              <td className="px-3 py-2">
                <Link href={`/evals/${r.id}`} className="font-mono text-xs text-indigo-700 hover:underline">
                  {modelLabel(r.model)}
                </Link>
                <div className="text-xs text-slate-500">{r.provider}</div>
              </td>
              <td className="px-3 py-2">
                <Link href={`/datasets/${r.datasetVersionId}`} className="hover:underline">
                  {r.datasetName} v{r.version}
                </Link>
              </td>
              <td className="px-3 py-2">
                {r.datasetKind === 'golden' ? 'golden' : r.split}
                {r.trainedOverlap ? (
                  <div>
                    <TrainedOverlapNote overlap={r.trainedOverlap} />
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-2 tabular-nums">{pct(r.accuracy)}</td>
              <td className="px-3 py-2 tabular-nums">{num(r.macroF1)}</td>
              <td className="px-3 py-2 text-xs">
                {r.datasetKind === 'golden' ? <span className="text-slate-500">this is the golden set</span> : <GoldenFigures golden={golden.get(r.id)} />}
              </td>
              <td className="px-3 py-2">
                <EvalStatusBadge status={r.status} />
                {r.status === 'running' && r.progressTotal > 0 && (
                  <span className="ml-2 text-xs text-slate-500">{Math.round((r.progressDone / r.progressTotal) * 100)}%</span>
                )}
              </td>
              <td className="px-3 py-2 text-xs">{formatDateTime(r.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <PaginationNav prevHref={beforeId ? '/evals' : null} prevLabel="← Newest" nextHref={nextBefore ? `/evals?before=${nextBefore}` : null} />
    </div>
  );
}
