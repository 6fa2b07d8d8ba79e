import Link from 'next/link';
import type { GoldenSummary } from '@/lib/evals/golden-summary';
import { num, pct } from './format';

export const GOLDEN_CAPTION = 'hand-written, never trained on';

/** Golden accuracy · macro-F1 · premature-END in one line, linking to the golden run. */
export function GoldenFigures({ golden, compact = false }: { golden: GoldenSummary | undefined; compact?: boolean }) {
  if (!golden) return <span className="text-slate-400">—</span>;
  if (golden.status !== 'succeeded') {
    return (
      <Link href={`/evals/${golden.runId}`} className="text-slate-500 hover:underline">
        {golden.status === 'failed' || golden.status === 'cancelled' ? golden.status : `scoring… ${golden.progressDone}/${golden.progressTotal}`}
      </Link>
    );
  }
  return (
    <Link href={`/evals/${golden.runId}`} className="tabular-nums text-indigo-700 hover:underline" data-testid="golden-figures">
      {pct(golden.accuracy)}
      {!compact && (
        <>
          {' '}
          · F1 {num(golden.macroF1)} · premature END {pct(golden.prematureEndRate)}
        </>
      )}
    </Link>
  );
}

/** The golden card on a run's page. */
export function GoldenCard({ golden }: { golden: GoldenSummary | undefined }) {
  return (
    <section aria-labelledby="golden-title" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
      <h2 id="golden-title" className="font-medium">
        Golden set <span className="font-normal text-slate-600">({GOLDEN_CAPTION})</span>
      </h2>
      {golden ? (
        <p className="mt-1">
          <GoldenFigures golden={golden} />
          {golden.n ? <span className="text-slate-600"> on {golden.n} turns</span> : null}
        </p>
      ) : (
        <p className="mt-1 text-slate-600">Not scored yet: the worker scores every evaluated model on the golden set as the run starts.</p>
      )}
    </section>
  );
}

/** The warning shown wherever a run is listed whose split shares conversations with its training data. */
export function TrainedOverlapNote({ overlap }: { overlap: number | null }) {
  if (!overlap) return null;
  return (
    <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800" data-testid="trained-overlap">
      trained on {overlap.toLocaleString('en-US')} of these conversations
    </span>
  );
}
