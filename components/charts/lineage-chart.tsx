'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface LineagePoint {
  label: string;
  accuracy: number | null;
  macroF1: number | null;
}

/** Accuracy and macro-F1 of every run on a dataset lineage, in model order (table on the page). */
export function LineageChart({ points }: { points: LineagePoint[] }) {
  return (
    <div aria-hidden="true" className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 40, bottom: 32, left: 40 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 10 }} interval={0} angle={-15} textAnchor="end" />
          <YAxis domain={[0, 1]} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend verticalAlign="top" />
          <Line dataKey="accuracy" stroke="#10b981" isAnimationActive={false} />
          <Line dataKey="macroF1" name="macro-F1" stroke="#6366f1" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
