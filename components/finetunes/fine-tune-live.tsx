'use client';

import { useQuery } from '@tanstack/react-query';
import { useRef, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { TrainingCurvesChart, type MetricPoint } from '@/components/charts/training-curves-chart';
import { FineTuneStatusBadge, formatDuration } from './status-badge';
import type { ActionResult } from '@/lib/boundary/action-state';

interface LiveEvent {
  id: number;
  createdAt: string;
  level: string;
  type: string | null;
  message: string;
}

export interface LiveState {
  status: string;
  terminal: boolean;
  fineTunedModel: string | null;
  error: string | null;
  trainedTokens: number | null;
  resolvedHyperparameters: unknown;
  cancelRequested: boolean;
  durationSeconds: number | null;
  events: LiveEvent[];
  lastEventId: number | null;
  metrics: MetricPoint[];
}

const fmt = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '—' : n.toFixed(digits));

/** Status, events, curves and the cancel button of a run, refreshed every 2 s until it ends. */
/** The page's cancel server action (components do not import app/). */
export type CancelFineTuneAction = (id: number) => Promise<ActionResult<{ message: string }>>;

export function FineTuneLive({
  id,
  initial,
  canCancel,
  cancelAction,
}: {
  id: number;
  initial: LiveState;
  canCancel: boolean;
  cancelAction: CancelFineTuneAction;
}) {
  const router = useRouter();
  const events = useRef<LiveEvent[]>(initial.events);
  const wasTerminal = useRef(initial.terminal);
  const { data } = useQuery({
    queryKey: ['fine-tune-live', id],
    queryFn: async (): Promise<LiveState> => {
      const after = events.current.at(-1)?.id;
      const res = await fetch(`/api/fine-tunes/${id}/live${after !== undefined ? `?after=${after}` : ''}`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const live = (await res.json()) as LiveState;
      events.current = [...events.current, ...live.events].slice(-500);
      if (live.terminal && !wasTerminal.current) {
        wasTerminal.current = true;
        router.refresh();
      }
      return { ...live, events: events.current };
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.terminal ? false : 2000),
  });
  const [pending, startTransition] = useTransition();
  const [cancelMessage, setCancelMessage] = useState<string | null>(null);
  const hp = (data.resolvedHyperparameters ?? {}) as Record<string, unknown>;

  return (
    <div className="space-y-4">
      <section aria-live="polite" className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <div>
          <div className="text-xs uppercase text-slate-500">Status</div>
          <FineTuneStatusBadge status={data.status} />
          {data.cancelRequested && !data.terminal && <span className="ml-2 text-xs text-amber-700">cancel requested</span>}
        </div>
        <div>
          <div className="text-xs uppercase text-slate-500">Duration</div>
          <div className="tabular-nums">{formatDuration(data.durationSeconds)}</div>
        </div>
        <div>
          <div className="text-xs uppercase text-slate-500">Trained tokens</div>
          <div className="tabular-nums">{data.trainedTokens?.toLocaleString('en-US') ?? '—'}</div>
        </div>
        <div>
          <div className="text-xs uppercase text-slate-500">Resolved hyperparameters</div>
          <div className="text-sm">
            epochs {String(hp.n_epochs ?? '—')} · batch {String(hp.batch_size ?? '—')} ·{' '}
            {hp.learning_rate !== undefined ? `lr ${String(hp.learning_rate)}` : `lr × ${String(hp.learning_rate_multiplier ?? '—')}`}
            {hp.lora !== undefined ? ` · ${hp.lora ? `LoRA${hp.lora_r !== undefined ? ` r ${String(hp.lora_r)}` : ''}` : 'full'}` : ''}
          </div>
        </div>
        <div className="min-w-0">
          <div className="text-xs uppercase text-slate-500">Fine-tuned model</div>
          <div data-testid="fine-tuned-model" className="break-all font-mono text-sm">
            {data.fineTunedModel ?? '—'}
          </div>
        </div>
        {canCancel && !data.terminal && data.status !== 'deploying' && (
          <div className="ml-auto">
            <button
              type="button"
              disabled={pending || data.cancelRequested}
              onClick={() =>
                startTransition(async () => {
                  const r = await cancelAction(id);
                  setCancelMessage(r.ok ? r.data.message : r.message);
                })
              }
              className="rounded border border-red-300 px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60"
            >
              Cancel run
            </button>
            {cancelMessage && <p className="mt-1 text-xs text-slate-600">{cancelMessage}</p>}
          </div>
        )}
      </section>
      {data.error && (
        <p
          role="alert"
          data-testid="fine-tune-error"
          className={`rounded-lg border p-3 text-sm ${data.status === 'failed' ? 'border-red-300 bg-red-50 text-red-800' : 'border-amber-300 bg-amber-50 text-amber-900'}`}
        >
          {data.error}
        </p>
      )}

      <section aria-labelledby="curves" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="curves" className="mb-2 font-medium">
          Training curves
        </h2>
        {data.metrics.length === 0 ? (
          <p className="text-sm text-slate-600">No metrics yet; they appear as the provider reports steps.</p>
        ) : (
          <>
            <div className="grid gap-4 lg:grid-cols-2">
              <div>
                <h3 className="text-sm text-slate-600">Loss</h3>
                <TrainingCurvesChart points={data.metrics} kind="loss" />
              </div>
              <div>
                <h3 className="text-sm text-slate-600">Accuracy</h3>
                <TrainingCurvesChart points={data.metrics} kind="accuracy" />
              </div>
            </div>
            <details className="mt-2">
              <summary className="cursor-pointer text-sm text-indigo-700">Show as a table ({data.metrics.length} steps)</summary>
              <table className="mt-2 w-full text-sm">
                <caption className="sr-only">Loss and accuracy per step</caption>
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col" className="text-right">
                      Train loss
                    </th>
                    <th scope="col" className="text-right">
                      Train accuracy
                    </th>
                    <th scope="col" className="text-right">
                      Validation loss
                    </th>
                    <th scope="col" className="text-right">
                      Validation accuracy
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.metrics.map((m) => (
                    <tr key={m.step} className="border-t border-slate-100 tabular-nums">
                      <td>{m.step}</td>
                      <td className="text-right">{fmt(m.trainLoss)}</td>
                      <td className="text-right">{fmt(m.trainAccuracy, 3)}</td>
                      <td className="text-right">{fmt(m.validLoss)}</td>
                      <td className="text-right">{fmt(m.validAccuracy, 3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>

      <section aria-labelledby="events" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="events" className="mb-2 font-medium">
          Events
        </h2>
        {data.events.length === 0 ? (
          <p className="text-sm text-slate-600">No events yet.</p>
        ) : (
          <ol className="max-h-80 space-y-1 overflow-auto font-mono text-xs" data-testid="fine-tune-events">
            {data.events
              .filter((e) => e.type !== 'metrics')
              .map((e) => (
                <li key={e.id} className={e.level === 'error' ? 'text-red-700' : e.level === 'warn' ? 'text-amber-700' : ''}>
                  <span className="text-slate-400">{new Date(e.createdAt).toISOString().slice(11, 19)}</span> {e.message}
                </li>
              ))}
          </ol>
        )}
      </section>
    </div>
  );
}
