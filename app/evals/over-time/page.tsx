import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { evalLineage } from '@/lib/evals/queries';
import { SPLITS, type SplitName } from '@/lib/datasets/params';
import { formatDateTime } from '@/components/ui/format-time';
import { LineageChart, type LineageRow } from '@/components/charts/lineage-chart';
import { TrainedOverlapNote } from '@/components/evals/golden-figures';
import { modelLabel } from '@/lib/evals/baselines';
import { num, pct } from '@/components/evals/format';

export const metadata: Metadata = { title: 'Evaluations over time' };

export default async function OverTimePage({ searchParams }: { searchParams: Promise<{ dataset?: string; split?: string }> }) {
  const sp = await searchParams;
  const actor = await actorOrSignIn('/evals/over-time');
  if (!sp.dataset || !/^\d{1,9}$/.test(sp.dataset)) notFound();
  const split = SPLITS.includes(sp.split as SplitName) ? (sp.split as SplitName) : 'test';
  const lineage = await evalLineage(actor, Number(sp.dataset), { split });
  if (!lineage) notFound();
  // x = models in the order they were made; one series per test set.
  const all = [...lineage.points, ...lineage.golden];
  const models = [...new Set(lineage.points.map((p) => p.model))];
  const series = [...new Set(lineage.points.map((p) => p.testSet)), ...(lineage.golden.length ? ['golden'] : [])];
  const rows: LineageRow[] = models.map((model) => {
    const row: LineageRow = { label: model.length > 28 ? `…${model.slice(-26)}` : model };
    for (const p of all) if (p.model === model) row[p.testSet] = p.accuracy;
    return row;
  });
  const points = lineage.points;
  return (
    <div className="space-y-4">
      <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
        ← Evaluations
      </Link>
      <h1 className="text-2xl font-semibold">{lineage.dataset.name}: every model over time</h1>
      <p className="text-sm text-slate-600">
        Accuracy of every finished run on any version of this dataset ({split} split) and on the golden set (hand-written, never trained on), ordered by when
        the model was made (base models first). Each test set is its own line: a later version&apos;s test split holds other conversations, so its numbers are
        not comparable point by point.
      </p>
      {points.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">No finished evaluations on this dataset yet.</p>
      ) : (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <LineageChart rows={rows} series={series} />
          <table className="mt-3 w-full text-sm">
            <caption className="sr-only">Accuracy and macro-F1 per run, in model order</caption>
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Test set</th>
                <th scope="col">Model made</th>
                <th scope="col" className="text-right">
                  Accuracy
                </th>
                <th scope="col" className="text-right">
                  Macro-F1
                </th>
              </tr>
            </thead>
            <tbody>
              {[...points, ...lineage.golden].map((p) => (
                <tr key={p.id} className="border-t border-slate-100">
                  <td className="py-1 font-mono text-xs">
                    <Link href={`/evals/${p.id}`} className="text-indigo-700 hover:underline">
                      {modelLabel(p.model)}
                    </Link>
                  </td>
                  <td>
                    {p.testSet} <TrainedOverlapNote overlap={p.trainedOverlap} />
                  </td>
                  <td className="text-xs">{p.modelCreatedAt ? formatDateTime(p.modelCreatedAt) : 'base model'}</td>
                  <td className="text-right tabular-nums">{pct(p.accuracy)}</td>
                  <td className="text-right tabular-nums">{num(p.macroF1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
