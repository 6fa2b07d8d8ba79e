'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ProgressBar } from '@/components/ui/progress-bar';

interface Status {
  status: 'queued' | 'building' | 'ready' | 'failed';
  progressPhase: string | null;
  progressDone: number;
  progressTotal: number;
  batchesDone: number;
  batchesTotal: number;
  error: string | null;
}

/** Live build progress; refreshes the page once the build ends. */
export function BuildProgress({ versionId, initial }: { versionId: number; initial: Status }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ['dataset-version-status', versionId],
    queryFn: async (): Promise<Status> => {
      const res = await fetch(`/api/datasets/versions/${versionId}/status`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'ready' || q.state.data.status === 'failed') ? false : 1000),
  });
  const done = data.status === 'ready' || data.status === 'failed';
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);

  return (
    <section aria-live="polite" className="rounded-lg border border-sky-200 bg-sky-50 p-4">
      <div className="mb-2 flex justify-between text-sm">
        <span className="font-medium">
          {data.status === 'queued'
            ? (data.progressPhase ?? 'Waiting for the worker…')
            : data.status === 'building'
              ? `Building: ${data.progressPhase ?? 'starting'}`
              : `Build ${data.status}`}
        </span>
        {data.progressTotal > 0 && (
          <span className="tabular-nums text-slate-600">
            {data.progressDone.toLocaleString('en-US')} / {data.progressTotal.toLocaleString('en-US')}
          </span>
        )}
      </div>
      <ProgressBar value={data.progressDone} max={Math.max(1, data.progressTotal)} label="Dataset build progress" />
      <p className="mt-2 text-xs text-slate-600">
        {data.batchesTotal > 0 && (
          <span className="tabular-nums">
            Batch {Math.min(data.batchesDone, data.batchesTotal).toLocaleString('en-US')} of {data.batchesTotal.toLocaleString('en-US')} committed.{' '}
          </span>
        )}
        You can leave this page; the build continues in the background
        {data.batchesTotal > 0 ? ' and, if the worker restarts, resumes after the last committed batch' : ''}. Its examples are shown once it is ready.
      </p>
    </section>
  );
}
