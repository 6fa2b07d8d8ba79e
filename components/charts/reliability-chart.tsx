'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ReliabilityRow {
  bin: string;
  mid: number;
  accuracy: number | null;
  meanConfidence: number | null;
  count: number;
}

/**
 * Reliability diagram: per confidence bin, how often the model was right, against the diagonal
 * a calibrated model would follow (the page shows the same numbers as a table).
 */
export function ReliabilityChart({ rows }: { rows: ReliabilityRow[] }) {
  return (
    <div aria-hidden="true" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bin" fontSize={11} />
          <YAxis domain={[0, 1]} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend />
          <Bar dataKey="accuracy" name="accuracy in bin" fill="#6366f1" isAnimationActive={false} />
          <Line dataKey="mid" name="perfect calibration" stroke="#94a3b8" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
          <Line dataKey="meanConfidence" name="mean confidence" stroke="#f59e0b" dot isAnimationActive={false} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
