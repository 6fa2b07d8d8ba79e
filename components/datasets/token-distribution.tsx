import type { PreflightReport } from '@/lib/datasets/preflight';
import type { TokenSummary } from '@/lib/datasets/token-summary';
import { HistogramChart } from '@/components/charts/histogram-chart';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

export function TokenDistribution({ summary: s, report }: { summary: TokenSummary; report: PreflightReport }) {
  return (
    <section aria-labelledby="tokens" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="tokens" className="mb-1 font-medium">
        Tokens per example
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        o200k_base, counted as the cookbook does. min {fmt(s.min)} · p10 {fmt(s.p10)} · median {fmt(s.median)} · mean {fmt(s.mean)} · p90 {fmt(s.p90)} · max{' '}
        {fmt(s.max)};{' '}
        {report.overLimit === 0 ? `none over the ${fmt(report.tokenLimit)} limit` : `${fmt(report.overLimit)} over the ${fmt(report.tokenLimit)} limit`}.
      </p>
      <HistogramChart bins={s.histogram} xLabel="tokens" />
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-indigo-700">Show as a table</summary>
        <table className="mt-2 w-full max-w-md text-sm">
          <caption className="sr-only">Examples per token range</caption>
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th scope="col">Tokens</th>
              <th scope="col" className="text-right">
                Examples
              </th>
            </tr>
          </thead>
          <tbody>
            {s.histogram.map((b) => (
              <tr key={b.from} className="border-t border-slate-100">
                <td className="py-0.5 tabular-nums">
                  {fmt(b.from)}–{fmt(b.to)}
                </td>
                <td className="py-0.5 text-right tabular-nums">{fmt(b.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
