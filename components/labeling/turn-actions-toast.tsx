'use client';

// What undo did (or that there was nothing to undo), where the eye is whatever is focused.
import { useEffect, useState } from 'react';

export function TurnActionsToast({ toast }: { toast: { text: string; n: number } | null }) {
  const [hidden, setHidden] = useState<number | null>(null);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setHidden(toast.n), 5000);
    return () => clearTimeout(t);
  }, [toast]);
  const visible = toast && hidden !== toast.n;
  return (
    <div role="status" aria-live="polite" data-testid="undo-status" className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center">
      {visible && <p className="rounded-lg bg-slate-900 px-4 py-2 text-sm text-white shadow-lg">{toast.text}</p>}
    </div>
  );
}

/** Beside the progress: how many turns the viewer skipped, and the keys. */
export function TurnActionsSummary({ skipped }: { skipped: number }) {
  if (skipped === 0) return null;
  return (
    <p className="mt-2 text-xs text-slate-600" data-testid="skipped-count">
      {skipped} turn{skipped === 1 ? '' : 's'} skipped: left for others, not waiting for you.
    </p>
  );
}
