import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { evalLineage } from '@/lib/evals/queries';
import { SPLITS, type SplitName } from '@/lib/datasets/params';
import { formatDateTime } from '@/components/ui/format-time';
import { LineageChart } from '@/components/charts/lineage-chart';
import { num, pct } from '@/components/evals/format';

export const metadata: Metadata = { title: 'Evaluations over time' };

export default async function OverTimePage({ searchParams }: { searchParams: Promise<{ dataset?: string; split?: string }> }) {
  const sp = await searchParams;
  const actor = await actorOrSignIn('/evals/over-time');
  if (!sp.dataset || !/^\d{1,9}$/.test(sp.dataset)) notFound();
  const split = SPLITS.includes(sp.split as SplitName) ? (sp.split as SplitName) : 'test';
  const lineage = await evalLineage(actor, Number(sp.dataset), { split });
  if (!lineage) notFound();
  const points = lineage.points.map((p) => ({ label: `${p.model.length > 28 ? `…${p.model.slice(-26)}` : p.model} (v${p.version})`, accuracy: p.accuracy, macroF1: p.macroF1 }));
  return (
    <div className="space-y-4">
      <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
        ← Evaluations
      </Link>
      <h1 className="text-2xl font-semibold">{lineage.dataset.name}: every model over time</h1>
      <p className="text-sm text-slate-600">Accuracy and macro-F1 of every finished run on any version of this dataset ({split} split), ordered by when the model was made (base models first).</p>
      {points.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">No finished evaluations on this dataset yet.</p>
      ) : (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <LineageChart points={points} />
          <table className="mt-3 w-full text-sm">
            <caption className="sr-only">Accuracy and macro-F1 per run, in model order</caption>
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Dataset version</th>
                <th scope="col">Model made</th>
                <th scope="col" className="text-right">Accuracy</th>
                <th scope="col" className="text-right">Macro-F1</th>
              </tr>
            </thead>
            <tbody>
              {lineage.points.map((p) => (
                <tr key={p.id} className="border-t border-slate-100">
                  <td className="py-1 font-mono text-xs">
                    <Link href={`/evals/${p.id}`} className="text-indigo-700 hover:underline">
                      {p.model}
                    </Link>
                  </td>
                  <td>v{p.version}</td>
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
