const STYLES: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  building: 'bg-sky-100 text-sky-800',
  ready: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${STYLES[status] ?? STYLES.queued}`}>{status}</span>;
}
