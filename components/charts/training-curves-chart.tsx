'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface MetricPoint {
  step: number;
  trainLoss: number | null;
  validLoss: number | null;
  trainAccuracy: number | null;
  validAccuracy: number | null;
}

const SERIES = {
  loss: [
    { key: 'trainLoss', name: 'train loss', color: '#6366f1' },
    { key: 'validLoss', name: 'validation loss', color: '#f59e0b' },
  ],
  accuracy: [
    { key: 'trainAccuracy', name: 'train accuracy', color: '#6366f1' },
    { key: 'validAccuracy', name: 'validation accuracy', color: '#f59e0b' },
  ],
} as const;

/** Loss or accuracy per step (the page lists the same points in a table). */
export function TrainingCurvesChart({ points, kind }: { points: MetricPoint[]; kind: 'loss' | 'accuracy' }) {
  return (
    <div aria-hidden="true" className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
          <YAxis domain={kind === 'accuracy' ? [0, 1] : [0, 'auto']} />
          <Tooltip />
          <Legend />
          {SERIES[kind].map((s) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color} dot={false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
