'use client';

import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface LabelAgreementPoint {
  label: string;
  kappa: number | null;
  specific: number | null;
}

/** Per-label κ and specific agreement (the page shows the same numbers as a table). */
export function LabelAgreementChart({ points }: { points: LabelAgreementPoint[] }) {
  return (
    <div aria-hidden="true" className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" />
          <YAxis domain={[(min: number) => Math.min(0, min), 1]} tickFormatter={(v: number) => v.toFixed(1)} />
          <ReferenceLine y={0} stroke="#64748b" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend />
          <Bar dataKey="kappa" name="Fleiss' κ for the label" fill="#6366f1" isAnimationActive={false} />
          <Bar dataKey="specific" name="Specific agreement" fill="#10b981" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
