'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One model (x position) with its accuracy on each test set it was scored on. */
export type LineageRow = { label: string } & Record<string, number | string | null>;

const COLORS = ['#6366f1', '#10b981', '#0ea5e9', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'];
const GOLDEN_COLOR = '#f59e0b';

/**
 * Accuracy of every model on a dataset lineage, in model order, one line per test set: a
 * v1 test split, a v2 test split and the golden set are different measurements and are never
 * joined into one line (the page shows the same numbers as a table).
 */
export function LineageChart({ rows, series }: { rows: LineageRow[]; series: string[] }) {
  let colour = 0;
  return (
    <div aria-hidden="true" className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 40, bottom: 32, left: 40 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 10 }} interval={0} angle={-15} textAnchor="end" />
          <YAxis domain={[0, 1]} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend verticalAlign="top" />
          {series.map((s) => (
            <Line
              key={s}
              dataKey={s}
              name={s === 'golden' ? 'golden set (hand-written)' : s}
              stroke={s === 'golden' ? GOLDEN_COLOR : COLORS[colour++ % COLORS.length]}
              strokeWidth={s === 'golden' ? 3 : 2}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
