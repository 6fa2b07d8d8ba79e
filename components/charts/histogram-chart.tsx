'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** A histogram from pre-computed bins (the page shows the bins as a table too). */
export function HistogramChart({ bins, xLabel }: { bins: { from: number; to: number; count: number }[]; xLabel: string }) {
  const data = bins.map((b) => ({ range: `${b.from}–${b.to}`, count: b.count }));
  return (
    <div aria-hidden="true" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="range" label={{ value: xLabel, position: 'insideBottom', offset: -10 }} tick={{ fontSize: 10 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" fill="#6366f1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
