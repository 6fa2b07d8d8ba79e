'use client';

import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

interface Point {
  threshold: number;
  coverage: number | null;
  accuracy: number | null;
  covered: number;
  correct: number;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * Accuracy and coverage when the advisor acts only on answers at or above a confidence
 * threshold (the original system's rule was 0.7), with a slider and the curve as a table.
 */
export function ThresholdExplorer({ curve, initial = 0.7 }: { curve: Point[]; initial?: number }) {
  const [index, setIndex] = useState(() => {
    const i = curve.findIndex((p) => Math.abs(p.threshold - initial) < 1e-9);
    return i >= 0 ? i : 0;
  });
  const p = curve[index];
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-4">
        <label htmlFor="threshold" className="text-sm">
          Confidence threshold
        </label>
        <input
          id="threshold"
          type="range"
          min={0}
          max={curve.length - 1}
          step={1}
          value={index}
          onChange={(e) => setIndex(Number(e.target.value))}
          aria-valuetext={p.threshold.toFixed(2)}
          className="w-64"
        />
        <output htmlFor="threshold" data-testid="threshold-readout" className="text-sm tabular-nums">
          ≥ {p.threshold.toFixed(2)}: accuracy {pct(p.accuracy)} on {pct(p.coverage)} of examples ({p.covered} acted on, {p.correct} correct)
        </output>
      </div>
      <div aria-hidden="true" className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={curve} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="threshold" type="number" domain={[0, 1]} />
            <YAxis domain={[0, 1]} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
            <Legend />
            <ReferenceLine x={p.threshold} stroke="#64748b" strokeDasharray="4 4" />
            <Line dataKey="accuracy" stroke="#10b981" dot={false} connectNulls isAnimationActive={false} />
            <Line dataKey="coverage" stroke="#6366f1" dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary className="cursor-pointer text-sm text-indigo-700">Show as a table</summary>
        <table className="mt-2 w-full max-w-lg text-sm">
          <caption className="sr-only">Accuracy and coverage per confidence threshold</caption>
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th scope="col">Threshold</th>
              <th scope="col" className="text-right">
                Coverage
              </th>
              <th scope="col" className="text-right">
                Accuracy
              </th>
            </tr>
          </thead>
          <tbody>
            {curve.map((c) => (
              <tr key={c.threshold} className="border-t border-slate-100 tabular-nums">
                <td>{c.threshold.toFixed(2)}</td>
                <td className="text-right">{pct(c.coverage)}</td>
                <td className="text-right">{pct(c.accuracy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
