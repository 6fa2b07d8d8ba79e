'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { LABEL_COLORS } from '@/components/charts/label-colors';
import type { ConfidenceBin, DayCount } from '@/lib/advisor/queries';

/** Decisions per day, stacked by label (the page shows the same counts as a table). */
export function DecisionsOverTimeChart({ days }: { days: DayCount[] }) {
  return (
    <div aria-hidden="true" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 10 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="END" stackId="l" fill={LABEL_COLORS.END} isAnimationActive={false} />
          <Bar dataKey="CONTINUE" stackId="l" fill={LABEL_COLORS.CONTINUE} isAnimationActive={false} />
          <Bar dataKey="SCHEDULE" stackId="l" fill={LABEL_COLORS.SCHEDULE} isAnimationActive={false} />
          <Bar dataKey="none" name="no decision" stackId="l" fill={LABEL_COLORS.invalid} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Confidence in bins of 0.1, acted and deferred stacked. */
export function ConfidenceChart({ bins }: { bins: ConfidenceBin[] }) {
  const data = bins.map((b) => ({ range: `${b.from.toFixed(1)}–${b.to.toFixed(1)}`, acted: b.acted, deferred: b.deferred }));
  return (
    <div aria-hidden="true" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="range" tick={{ fontSize: 10 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="acted" stackId="c" fill="#4f46e5" isAnimationActive={false} />
          <Bar dataKey="deferred" stackId="c" fill="#cbd5e1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
