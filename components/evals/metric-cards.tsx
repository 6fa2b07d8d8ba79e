import type { EvalMetrics } from '@/lib/evals/summarize';
import { num, pct } from './format';

function Card({ title, value, detail, tone }: { title: string; value: string; detail?: string; tone?: 'bad' | 'good' }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <div className="text-xs uppercase tracking-wide text-slate-500">{title}</div>
      <div className={`text-2xl font-semibold tabular-nums ${tone === 'bad' ? 'text-red-700' : ''}`}>{value}</div>
      {detail && <div className="text-xs text-slate-500">{detail}</div>}
    </div>
  );
}

// Turns of one conversation are not independent; the interval says whether it resampled them
// together (runs scored before that resampled turns).
function ciUnit(ci: NonNullable<EvalMetrics['accuracyCi']>): string {
  if (ci.unit === 'conversation') return ` (resampling ${ci.clusters?.toLocaleString('en-US') ?? ''} conversations)`;
  return ' (turns resampled as independent)';
}

export function MetricCards({ m }: { m: EvalMetrics }) {
  return (
    <section aria-label="Metrics" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
      <Card
        title="Accuracy"
        value={pct(m.accuracy)}
        detail={m.accuracyCi ? `95% CI ${pct(m.accuracyCi.low)} – ${pct(m.accuracyCi.high)}${ciUnit(m.accuracyCi)}` : undefined}
      />
      <Card title="Macro-F1" value={num(m.macroF1)} />
      <Card
        title="Premature END"
        value={pct(m.prematureEndRate)}
        detail={`${m.prematureEnd.count} of ${m.prematureEnd.of} CONTINUE/SCHEDULE turns`}
        tone={m.prematureEnd.count ? 'bad' : undefined}
      />
      <Card
        title="Missed SCHEDULE"
        value={pct(m.missedScheduleRate)}
        detail={`${m.missedSchedule.count} of ${m.missedSchedule.of} SCHEDULE turns`}
        tone={m.missedSchedule.count ? 'bad' : undefined}
      />
      <Card
        title="Invalid answers"
        value={String(m.invalid)}
        detail={`${pct(m.invalidRate)} of ${m.n}${m.errors ? `; ${m.errors} request errors` : ''}`}
        tone={m.invalid ? 'bad' : undefined}
      />
      <Card
        title="Examples"
        value={m.n.toLocaleString('en-US')}
        detail={m.latencyMs ? `latency p50 ${m.latencyMs.p50} ms · p95 ${m.latencyMs.p95} ms` : undefined}
      />
    </section>
  );
}
