'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface PerClassRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 per class (the page shows the same numbers as a table). */
export function PerClassChart({ rows }: { rows: PerClassRow[] }) {
  return (
    <div aria-hidden="true" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" />
          <YAxis domain={[0, 1]} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend />
          <Bar dataKey="precision" fill="#6366f1" isAnimationActive={false} />
          <Bar dataKey="recall" fill="#f59e0b" isAnimationActive={false} />
          <Bar dataKey="f1" name="F1" fill="#10b981" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
