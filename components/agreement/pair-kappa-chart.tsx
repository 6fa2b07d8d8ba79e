'use client';

import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface PairKappaPoint {
  pair: string;
  kappa: number;
}

/** Cohen's κ per reviewer pair as horizontal bars (the page shows the same numbers as a table). */
export function PairKappaChart({ points }: { points: PairKappaPoint[] }) {
  const height = Math.max(120, 28 * points.length + 40);
  return (
    <div aria-hidden="true" className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[Math.min(0, ...points.map((p) => p.kappa)), 1]} tickFormatter={(v: number) => v.toFixed(1)} />
          <YAxis type="category" dataKey="pair" width={220} tick={{ fontSize: 12 }} />
          <ReferenceLine x={0} stroke="#64748b" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Bar dataKey="kappa" name="Cohen's κ" fill="#6366f1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
