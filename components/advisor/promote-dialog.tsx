'use client';

// "Promote" on the Models page: a dialog with the candidate's test-split and golden figures
// beside the current advisor's, and what acting at the chosen threshold means for each
// (coverage and accuracy from the threshold curve), before anything changes.
import Link from 'next/link';
import { useId, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { ModelFigures, RunFigures } from '@/lib/advisor/promotion-preview';
import { pointAt } from '@/lib/advisor/threshold-point';

export type PromoteAction = (input: {
  model: string;
  provider?: 'local' | 'openai';
  threshold: number;
  note?: string;
}) => Promise<ActionResult<{ promotionId: number; model: string; threshold: number }>>;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

type Metric = { label: string; value: (f: ModelFigures, t: number) => { text: string; runId?: number } };

const at = (f: RunFigures | null, t: number) => pointAt(f?.curve ?? null, t);
const METRICS: Metric[] = [
  { label: 'Test split: accuracy', value: (f) => ({ text: pct(f.test?.accuracy), runId: f.test?.runId }) },
  { label: 'Test split: premature END', value: (f) => ({ text: pct(f.test?.prematureEndRate) }) },
  { label: 'Test split: coverage at the threshold', value: (f, t) => ({ text: pct(at(f.test, t)?.coverage) }) },
  { label: 'Test split: accuracy on what it acts on', value: (f, t) => ({ text: pct(at(f.test, t)?.accuracy) }) },
  { label: 'Golden set: accuracy', value: (f) => ({ text: pct(f.golden?.accuracy), runId: f.golden?.runId }) },
  { label: 'Golden set: premature END', value: (f) => ({ text: pct(f.golden?.prematureEndRate) }) },
  { label: 'Golden set: coverage at the threshold', value: (f, t) => ({ text: pct(at(f.golden, t)?.coverage) }) },
  { label: 'Golden set: accuracy on what it acts on', value: (f, t) => ({ text: pct(at(f.golden, t)?.accuracy) }) },
];

function Cell({ v }: { v: { text: string; runId?: number } }) {
  return (
    <td className="px-2 py-1 tabular-nums">
      {v.runId ? (
        <Link href={`/evals/${v.runId}`} className="text-indigo-700 hover:underline">
          {v.text}
        </Link>
      ) : (
        v.text
      )}
    </td>
  );
}

export function PromoteDialog({
  model,
  provider,
  candidate,
  current,
  action,
}: {
  model: string;
  provider: 'local' | 'openai';
  candidate: ModelFigures;
  current: { promotionId: number; model: string; threshold: number; figures: ModelFigures } | null;
  action: PromoteAction;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [threshold, setThreshold] = useState(String(current?.threshold ?? 0.7));
  const [note, setNote] = useState('');
  const [result, setResult] = useState<ActionResult<{ promotionId: number; model: string; threshold: number }> | null>(null);
  const [pending, start] = useTransition();
  const t = Number(threshold);
  const gridT = pointAt(candidate.test?.curve ?? candidate.golden?.curve ?? null, t)?.threshold;

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setResult(null);
          dialog.current?.showModal();
        }}
        className="rounded bg-indigo-600 px-2 py-1 text-xs font-medium text-white hover:bg-indigo-700"
      >
        Promote
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-3xl rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <form
          className="space-y-4 p-5 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            start(async () => setResult(await action({ model, provider, threshold: t, ...(note.trim() ? { note: note.trim() } : {}) })));
          }}
        >
          <h2 id={titleId} className="text-base font-semibold">
            Make <span className="font-mono">{model}</span> the advisor?
          </h2>
          <p className="text-slate-600">
            The chatbot gets this model&apos;s decisions from the next request on, and acts on one only when its confidence reaches the threshold.
            {current ? ` It replaces ${current.model}; you can roll back on the Advisor page.` : ' No advisor is promoted yet.'}
          </p>
          <label className="block w-48">
            Threshold (act when confidence ≥)
            <input
              name="threshold"
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={threshold}
              onChange={(e) => setThreshold(e.target.value)}
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <table className="w-full text-left text-xs" aria-label="Candidate beside the current advisor">
            <thead className="bg-slate-100 text-slate-600">
              <tr>
                <th className="px-2 py-1 font-medium">At confidence ≥ {gridT ?? threshold}</th>
                <th className="px-2 py-1 font-mono font-medium">Candidate {model}</th>
                {current && (
                  <th className="px-2 py-1 font-mono font-medium">
                    Current advisor {current.model} (promotion #{current.promotionId})
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {METRICS.map((m) => (
                <tr key={m.label} className="border-t border-slate-100">
                  <th scope="row" className="px-2 py-1 font-normal text-slate-700">
                    {m.label}
                  </th>
                  <Cell v={m.value(candidate, t)} />
                  {current && <Cell v={m.value(current.figures, t)} />}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-xs text-slate-500">
            Coverage: the share of turns the advisor would act on at this threshold; accuracy on what it acts on: how often it is right there. A dash: no
            finished evaluation yet. From each run&apos;s threshold curve (steps of 0.05).
          </p>
          <label className="block">
            Note (why this model)
            <input
              name="note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            />
          </label>
          {result && !result.ok && (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
              {Object.values(result.fieldErrors)[0] ?? result.message} Nothing was changed.
            </p>
          )}
          {result?.ok && (
            <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-2 text-emerald-800">
              Promotion #{result.data.promotionId}: {result.data.model} is the advisor, acting at ≥ {result.data.threshold}.{' '}
              <Link href="/advisor" className="font-medium underline">
                Open the Advisor page
              </Link>
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => dialog.current?.close()} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100">
              {result?.ok ? 'Close' : 'Cancel'}
            </button>
            {!result?.ok && (
              <button
                type="submit"
                disabled={pending}
                className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
              >
                {pending ? 'Promoting…' : 'Confirm promotion'}
              </button>
            )}
          </div>
        </form>
      </dialog>
    </>
  );
}
