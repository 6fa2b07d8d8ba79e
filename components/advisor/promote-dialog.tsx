'use client';

// "Promote" on the Models page: a dialog with the candidate's test-split and golden figures
// beside the current advisor's, and what acting at the chosen threshold means for each
// (coverage and accuracy from the threshold curve), before anything changes.
import Link from 'next/link';
import { useId, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { ModelFigures, RunFigures } from '@/lib/advisor/promotion-preview';
import type { ThresholdPoint } from '@/lib/evals/metrics';

export type PromoteAction = (input: { model: string; provider?: 'local' | 'openai'; threshold: number; note?: string }) => Promise<ActionResult<{ promotionId: number; model: string; threshold: number }>>;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

function pointAt(curve: ThresholdPoint[] | null, t: number): ThresholdPoint | null {
  if (!curve?.length || !Number.isFinite(t)) return null;
  let best: ThresholdPoint | null = null;
  for (const p of curve) if (p.threshold <= t + 1e-9 && (!best || p.threshold > best.threshold)) best = p;
  return best;
}

function Cells({ f, t }: { f: RunFigures | null; t: number }) {
  const at = pointAt(f?.curve ?? null, t);
  return (
    <>
      <td className="px-2 py-1 tabular-nums">{f ? <Link href={`/evals/${f.runId}`} className="text-indigo-700 hover:underline">{pct(f.accuracy)}</Link> : '—'}</td>
      <td className="px-2 py-1 tabular-nums">{pct(f?.prematureEndRate)}</td>
      <td className="px-2 py-1 tabular-nums">{at ? pct(at.coverage) : '—'}</td>
      <td className="px-2 py-1 tabular-nums">{at ? pct(at.accuracy) : '—'}</td>
    </>
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

  const rows: { who: string; figures: ModelFigures }[] = [{ who: `Candidate ${model}`, figures: candidate }, ...(current ? [{ who: `Current advisor ${current.model} (promotion #${current.promotionId})`, figures: current.figures }] : [])];

  return (
    <>
      <button type="button" onClick={() => { setResult(null); dialog.current?.showModal(); }} className="rounded bg-indigo-600 px-2 py-1 text-xs font-medium text-white hover:bg-indigo-700">
        Promote
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-3xl rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40">
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
            <input name="threshold" type="number" min={0} max={1} step={0.05} value={threshold} onChange={(e) => setThreshold(e.target.value)} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
          </label>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-xs" aria-label="Candidate beside the current advisor">
              <thead className="bg-slate-100 uppercase tracking-wide text-slate-600">
                <tr>
                  <th className="px-2 py-1" rowSpan={2}>Model</th>
                  <th className="px-2 py-1 text-center" colSpan={4}>Test split</th>
                  <th className="px-2 py-1 text-center" colSpan={4}>Golden set</th>
                </tr>
                <tr>
                  {['Accuracy', 'Premature END', `Coverage ≥ ${gridT ?? threshold}`, `Accuracy ≥ ${gridT ?? threshold}`].concat(['Accuracy', 'Premature END', `Coverage ≥ ${gridT ?? threshold}`, `Accuracy ≥ ${gridT ?? threshold}`]).map((h, i) => (
                    <th key={i} className="px-2 py-1 font-medium normal-case">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.who} className="border-t border-slate-100">
                    <td className="px-2 py-1 font-mono">{r.who}</td>
                    <Cells f={r.figures.test} t={t} />
                    <Cells f={r.figures.golden} t={t} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-xs text-slate-500">Coverage: the share of turns the advisor would act on; accuracy ≥: how often it is right on those. From each run&apos;s threshold curve (steps of 0.05).</p>
          <label className="block">
            Note (why this model)
            <input name="note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
          </label>
          {result && !result.ok && (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
              {Object.values(result.fieldErrors)[0] ?? result.message} Nothing was changed.
            </p>
          )}
          {result?.ok && (
            <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-2 text-emerald-800">
              Promotion #{result.data.promotionId}: {result.data.model} is the advisor, acting at ≥ {result.data.threshold}.{' '}
              <Link href="/advisor" className="font-medium underline">Open the Advisor page</Link>
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => dialog.current?.close()} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100">
              {result?.ok ? 'Close' : 'Cancel'}
            </button>
            {!result?.ok && (
              <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
                {pending ? 'Promoting…' : 'Confirm promotion'}
              </button>
            )}
          </div>
        </form>
      </dialog>
    </>
  );
}
