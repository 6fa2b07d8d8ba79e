import Link from 'next/link';
import type { FineTuneEvaluation, Figures } from '@/lib/evals/fine-tune-evaluation';
import { num, pct, signedPct } from './format';
import { GOLDEN_CAPTION } from './golden-figures';

const KIND_NOTE: Record<string, string> = {
  'fine-tuned': 'this fine-tune',
  'keyword-rule': 'a regex over the last messages, not a model',
  base: 'the model it was fine-tuned from',
  majority: 'always the most common training label',
};

function Cells({ f, runId, status }: { f: Figures | null; runId: number | null; status: string | null }) {
  if (!f) {
    const text = status && status !== 'succeeded' ? status : '—';
    return (
      <td colSpan={3} className="px-2 py-1 text-slate-500">
        {runId ? (
          <Link href={`/evals/${runId}`} className="hover:underline">
            {text}
          </Link>
        ) : (
          text
        )}
      </td>
    );
  }
  return (
    <>
      <td className="px-2 py-1 text-right">
        {runId ? (
          <Link href={`/evals/${runId}`} className="text-indigo-700 hover:underline">
            {pct(f.accuracy)}
          </Link>
        ) : (
          pct(f.accuracy)
        )}
      </td>
      <td className="px-2 py-1 text-right">{num(f.macroF1)}</td>
      <td className={`px-2 py-1 text-right ${f.prematureEndRate ? 'text-red-700' : ''}`}>{pct(f.prematureEndRate)}</td>
    </>
  );
}

/** The fine-tune beside both baselines on its test split and on the golden set, and what it gained. */
export function FineTuneEvaluationTable({ evaluation: e }: { evaluation: FineTuneEvaluation }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm tabular-nums" data-testid="fine-tune-evaluation">
        <caption className="sr-only">Accuracy, macro-F1 and premature-END of the fine-tuned model and the baselines</caption>
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" rowSpan={2} className="px-2 align-bottom">
              Model
            </th>
            <th scope="colgroup" colSpan={3} className="px-2 text-center">
              Test split
            </th>
            <th scope="colgroup" colSpan={3} className="px-2 text-center">
              Golden set <span className="normal-case">({GOLDEN_CAPTION})</span>
            </th>
          </tr>
          <tr>
            {[0, 1].map((i) => (
              <th key={`h${i}`} scope="col" colSpan={3} className="px-2">
                <span className="flex justify-end gap-4">
                  <span>Accuracy</span>
                  <span>Macro-F1</span>
                  <span>Premature END</span>
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {e.rows.map((r) => (
            <tr key={r.kind} className="border-t border-emerald-100" data-kind={r.kind}>
              <th scope="row" className="px-2 py-1 text-left font-normal">
                <span className={r.kind === 'fine-tuned' ? 'font-mono text-xs font-semibold' : ''}>{r.label}</span>
                <div className="text-xs text-slate-500">{KIND_NOTE[r.kind]}</div>
              </th>
              <Cells f={r.test} runId={r.runId} status={r.status} />
              <Cells f={r.golden} runId={r.goldenRunId} status={r.goldenStatus} />
            </tr>
          ))}
          {e.gains.map((g) => (
            <tr key={g.over} className="border-t-2 border-emerald-200 font-medium" data-gain={g.over}>
              <th scope="row" className="px-2 py-1 text-left">
                Gain over {g.over === 'keyword-rule' ? 'the keyword rule' : 'the majority class'}
              </th>
              {[g.test, g.golden].map((f, i) => (
                <GainCells key={i} f={f} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-600">
        Premature END: the share of turns that should have gone on (CONTINUE or SCHEDULE) that the model would have ended; the costliest error. In the gain rows
        its column is the change: a rise (red) is worse, a fall (green) better. The majority class never ends a conversation early.
      </p>
    </div>
  );
}

function GainCells({ f }: { f: Figures | null }) {
  if (!f) {
    return (
      <td colSpan={3} className="px-2 py-1 text-slate-500">
        —
      </td>
    );
  }
  // Premature END is the one figure where up is worse.
  const pe = f.prematureEndRate;
  const peTone = pe === null || Math.abs(pe) < 0.0005 ? '' : pe > 0 ? 'text-red-700' : 'text-emerald-700';
  return (
    <>
      <td className={`px-2 py-1 text-right ${(f.accuracy ?? 0) > 0 ? 'text-emerald-700' : 'text-red-700'}`}>{signedPct(f.accuracy)}</td>
      <td className="px-2 py-1 text-right">{f.macroF1 === null ? '—' : `${f.macroF1 >= 0 ? '+' : ''}${f.macroF1.toFixed(3)}`}</td>
      <td className={`px-2 py-1 text-right ${peTone}`}>{pe === null || Math.abs(pe) < 0.0005 ? '±0.0 pts' : signedPct(pe)}</td>
    </>
  );
}
