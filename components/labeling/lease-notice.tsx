'use client';

import type { LeaseState } from '@/lib/labeling/lease';
import { formatDateTime } from '@/components/ui/format-time';

/** Who else works on this conversation right now, and what that means for the reviewer's labels. */
export function LeaseNotice({ lease, perTurn }: { lease: LeaseState; perTurn: number }) {
  const names = lease.others.map((o) => o.name).join(', ');
  if (lease.reason === 'taken') {
    const until = lease.others.map((o) => o.expiresAt).sort()[0];
    return (
      <p role="status" data-testid="lease-notice" className="rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950">
        {names || 'Other reviewers'} {lease.others.length === 1 ? 'has' : 'have'} this conversation from the work queue
        {until ? ` (until ${formatDateTime(until)} unless renewed)` : ''}; it needs {perTurn} reviewer{perTurn === 1 ? '' : 's'} per turn. You can still label
        here: your labels are saved. Press <kbd>n</kbd> for one that needs you.
      </p>
    );
  }
  if (lease.held && lease.others.length > 0) {
    return (
      <p role="status" data-testid="lease-notice" className="rounded-lg border border-slate-200 bg-white p-3 text-sm text-slate-700">
        Also labeling this conversation: {names} ({perTurn} reviewers per turn).
      </p>
    );
  }
  return null;
}
