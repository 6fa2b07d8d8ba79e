'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { ImportUploadView } from '@/lib/imports/uploads/get-upload';
import { formatMegabytes } from '@/lib/imports/uploads/limits';

/** The worker's progress on an import, polled each second; the page re-renders once it ends. */
export function ImportProgress({ id, initial }: { id: number; initial: ImportUploadView }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ['import-upload', id],
    queryFn: async (): Promise<ImportUploadView> => {
      const res = await fetch(`/api/imports/${id}`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 1000),
  });
  const done = data.status === 'succeeded' || data.status === 'failed';
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  const reading = data.stage === 'reading and validating';
  return (
    <section aria-live="polite" className="rounded-lg border border-sky-200 bg-sky-50 p-4">
      <div className="mb-2 flex justify-between text-sm">
        <span className="font-medium">
          {data.status === 'queued' ? 'Waiting for the worker…' : done ? 'Finishing…' : `${(data.stage ?? 'starting').replace(/^./, (c) => c.toUpperCase())}…`}
        </span>
        {reading && (
          <span className="tabular-nums text-slate-600">
            {formatMegabytes(data.processedBytes)} / {formatMegabytes(data.receivedBytes)}
          </span>
        )}
      </div>
      <ProgressBar
        value={reading || data.status === 'queued' ? data.processedBytes : data.receivedBytes}
        max={Math.max(1, data.receivedBytes)}
        label="Import progress"
      />
      <p className="mt-2 text-xs text-slate-600">
        The whole file is checked before anything is written. You can leave this page; the import continues in the background.
      </p>
    </section>
  );
}
