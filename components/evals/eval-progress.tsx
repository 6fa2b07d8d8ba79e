'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import { ProgressBar } from '@/components/ui/progress-bar';

interface Live {
  status: string;
  progressDone: number;
  progressTotal: number;
  error: string | null;
}

/** Live progress of a running evaluation; refreshes the page when it ends. */
/** The page's cancel server action (components do not import app/). */
export type CancelEvalAction = (runId: number) => Promise<ActionResult<{ cancelled: boolean; message: string }>>;

export function EvalProgress({
  runId,
  initial,
  canCancel,
  cancelAction,
}: {
  runId: number;
  initial: Live;
  canCancel: boolean;
  cancelAction: CancelEvalAction;
}) {
  const [pending, startTransition] = useTransition();
  const [note, setNote] = useState<string | null>(null);
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ['eval-live', runId],
    queryFn: async (): Promise<Live> => {
      const res = await fetch(`/api/evals/${runId}/live`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ['succeeded', 'failed', 'cancelled'].includes(q.state.data.status) ? false : 1000),
  });
  const done = ['succeeded', 'failed', 'cancelled'].includes(data.status);
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  return (
    <section aria-live="polite" className="rounded-lg border border-sky-200 bg-sky-50 p-4">
      <div className="mb-2 flex justify-between text-sm">
        <span className="font-medium">{data.status === 'queued' ? 'Waiting for the worker…' : `Evaluating: ${data.status}`}</span>
        <span className="tabular-nums text-slate-600">
          {data.progressDone.toLocaleString('en-US')} / {data.progressTotal.toLocaleString('en-US')} examples
        </span>
      </div>
      <ProgressBar value={data.progressDone} max={Math.max(1, data.progressTotal)} label="Evaluation progress" />
      {data.error && <p className="mt-2 text-xs text-amber-800">{data.error}</p>}
      {canCancel && !done && (
        <div className="mt-3 flex items-center gap-3">
          <button
            type="button"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const r = await cancelAction(runId);
                setNote(r.ok ? r.data.message : r.message);
              })
            }
            className="rounded border border-red-300 bg-white px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60"
          >
            Cancel evaluation
          </button>
          {note && <span className="text-xs text-slate-600">{note}</span>}
        </div>
      )}
    </section>
  );
}
