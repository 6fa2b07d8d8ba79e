import { LABEL_VALUES } from '@/lib/labeling/label-values';
import { SPLITS } from '@/lib/datasets/params';
import type { SplitCounts } from '@/lib/datasets/queries';
import { SplitLabelChart } from '@/components/charts/split-label-chart';

export function SplitDistribution({ counts }: { counts: SplitCounts }) {
  const rows = SPLITS.map((s) => ({ split: s, ...counts[s] }));
  const total = (s: (typeof SPLITS)[number]) => LABEL_VALUES.reduce((n, l) => n + counts[s][l], 0);
  return (
    <section aria-labelledby="distribution" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="distribution" className="mb-2 font-medium">
        Label distribution per split
      </h2>
      <div className="grid items-center gap-4 lg:grid-cols-2">
        <SplitLabelChart rows={rows} />
        <table className="w-full text-sm">
          <caption className="sr-only">Examples per split and label</caption>
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th scope="col">Split</th>
              {LABEL_VALUES.map((l) => (
                <th key={l} scope="col" className="text-right">
                  {l}
                </th>
              ))}
              <th scope="col" className="text-right">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {SPLITS.map((s) => (
              <tr key={s} className="border-t border-slate-100">
                <th scope="row" className="py-1 text-left font-normal capitalize">
                  {s}
                </th>
                {LABEL_VALUES.map((l) => (
                  <td key={l} className="py-1 text-right tabular-nums">
                    {counts[s][l].toLocaleString('en-US')}
                    {total(s) > 0 && <span className="ml-1 text-xs text-slate-400">{Math.round((counts[s][l] / total(s)) * 100)}%</span>}
                  </td>
                ))}
                <td className="py-1 text-right font-medium tabular-nums">{total(s).toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
