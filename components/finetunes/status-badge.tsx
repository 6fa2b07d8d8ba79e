const STYLES: Record<string, string> = {
  pending: 'bg-slate-100 text-slate-700',
  validating_files: 'bg-sky-100 text-sky-800',
  queued: 'bg-sky-100 text-sky-800',
  running: 'bg-indigo-100 text-indigo-800',
  deploying: 'bg-violet-100 text-violet-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-amber-100 text-amber-800',
};

export function FineTuneStatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="fine-tune-status" className={`rounded px-2 py-0.5 text-xs font-medium ${STYLES[status] ?? STYLES.pending}`}>
      {status.replace('_', ' ')}
    </span>
  );
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
