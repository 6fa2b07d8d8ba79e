'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { LABEL_COLORS } from './label-colors';

export interface SplitLabelRow {
  split: string;
  END: number;
  CONTINUE: number;
  SCHEDULE: number;
}

/** Label distribution per split as stacked bars (the page shows the same numbers as a table). */
export function SplitLabelChart({ rows }: { rows: SplitLabelRow[] }) {
  return (
    <div aria-hidden="true" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="split" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {(['END', 'CONTINUE', 'SCHEDULE'] as const).map((l) => (
            <Bar key={l} dataKey={l} stackId="labels" fill={LABEL_COLORS[l]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
