import Link from 'next/link';
import { LABELS, PREDICTED, type ConfusionMatrix } from '@/lib/evals/metrics';

/**
 * The confusion matrix as a heat-mapped table: rows are the true label, columns the prediction
 * (plus invalid). Every cell links to the examples behind it. Being a table, it is its own
 * accessible alternative.
 */
export function ConfusionMatrixTable({
  matrix,
  cellHref,
  selected,
}: {
  matrix: ConfusionMatrix;
  cellHref: (truth: string, predicted: string) => string;
  selected?: { truth?: string; predicted?: string };
}) {
  const max = Math.max(1, ...LABELS.flatMap((t) => PREDICTED.map((p) => matrix[t][p])));
  return (
    <table className="border-separate border-spacing-1 text-sm">
      <caption className="mb-1 text-left text-xs text-slate-500">Rows: true label · columns: predicted. Click a cell to list its examples.</caption>
      <thead>
        <tr>
          <th scope="col" className="text-xs text-slate-500">
            true \ predicted
          </th>
          {PREDICTED.map((p) => (
            <th key={p} scope="col" className="px-2 text-xs font-medium">
              {p}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {LABELS.map((t) => (
          <tr key={t}>
            <th scope="row" className="pr-2 text-right text-xs font-medium">
              {t}
            </th>
            {PREDICTED.map((p) => {
              const n = matrix[t][p];
              const diagonal = t === p;
              const alpha = n / max;
              const isSelected = selected?.truth === t && selected?.predicted === p;
              return (
                <td key={p} className="p-0">
                  <Link
                    href={cellHref(t, p)}
                    aria-label={`${n} examples: true ${t}, predicted ${p}`}
                    data-cell={`${t}-${p}`}
                    className={`block min-w-16 rounded px-3 py-2 text-center tabular-nums hover:ring-2 hover:ring-indigo-400 ${isSelected ? 'ring-2 ring-indigo-600' : ''}`}
                    style={{
                      backgroundColor: n === 0 ? '#f8fafc' : diagonal ? `rgba(16,185,129,${0.15 + 0.7 * alpha})` : `rgba(244,63,94,${0.15 + 0.7 * alpha})`,
                    }}
                  >
                    {n}
                  </Link>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
