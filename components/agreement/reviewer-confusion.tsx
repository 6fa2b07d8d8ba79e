import { LABELS, type Label } from '@/lib/evals/metrics/labels';

/**
 * The confusion between reviewers as a heat-mapped table (its own accessible alternative).
 * `cells[x][y]` null = not shown (the upper triangle of the pooled, unordered matrix).
 */
export function ReviewerConfusion({
  cells,
  rowTitle,
  columnTitle,
  caption,
}: {
  cells: Record<Label, Record<Label, number | null>>;
  rowTitle: string;
  columnTitle: string;
  caption: string;
}) {
  const max = Math.max(1, ...LABELS.flatMap((x) => LABELS.map((y) => cells[x][y] ?? 0)));
  return (
    <table className="border-separate border-spacing-1 text-sm" data-testid="reviewer-confusion">
      <caption className="mb-1 text-left text-xs text-slate-500">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="max-w-40 text-xs font-normal text-slate-500">
            {rowTitle} ↓ · {columnTitle} →
          </th>
          {LABELS.map((y) => (
            <th key={y} scope="col" className="px-2 text-xs font-medium">
              {y}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {LABELS.map((x) => (
          <tr key={x}>
            <th scope="row" className="pr-2 text-right text-xs font-medium">
              {x}
            </th>
            {LABELS.map((y) => {
              const n = cells[x][y];
              if (n === null) return <td key={y} aria-label="see the mirrored cell" className="min-w-16" />;
              const alpha = n / max;
              return (
                <td
                  key={y}
                  data-cell={`${x}-${y}`}
                  className="min-w-16 rounded px-3 py-2 text-center tabular-nums"
                  style={{
                    backgroundColor: n === 0 ? '#f8fafc' : x === y ? `rgba(16,185,129,${0.15 + 0.7 * alpha})` : `rgba(244,63,94,${0.15 + 0.7 * alpha})`,
                  }}
                >
                  {n.toLocaleString('en-US')}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
