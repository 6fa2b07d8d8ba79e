'use client';

// The history of the focused turn: every change anyone made to it (labels, skips, flags),
// newest first — who, when, from → to, and where it came from. It follows the focus, so
// j/k walks the turns with the drawer open. A page at a time ("Show older").
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { HistoryEntry } from '@/lib/labeling/history';
import { TURN_FLAG_REASONS, type TurnFlagReasonName } from '@/lib/labeling/turn-actions-flag-reasons';
import { historyKey, type TurnActionsController } from './turn-actions-state';

const SOURCE: Record<string, string> = {
  ui: 'labeling',
  import: 'import',
  suggestion: 'accepted suggestion',
  adjudication: 'adjudication',
  undo: 'undo',
};

// Changes seconds apart are common here, so the time has seconds; date and time on two lines.
const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const clock = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });

function value(kind: HistoryEntry['kind'], v: string | null): string {
  if (v === null) return kind === 'label' ? 'no label' : kind === 'skip' ? 'not skipped' : 'no flag';
  if (kind === 'flag') return `flag “${TURN_FLAG_REASONS[v as TurnFlagReasonName] ?? v}”`;
  return v;
}

export function HistoryDrawer({
  c,
  messageId,
  turnLabel,
  savedLabel,
}: {
  c: TurnActionsController;
  messageId: number | undefined;
  /** "Recruiter turn 3 of 5". */
  turnLabel: string;
  /** The viewer's label as last saved: a new value means a new history row to show. */
  savedLabel: string;
}) {
  const q = useInfiniteQuery({
    queryKey: historyKey(messageId ?? 0),
    enabled: c.historyOpen && messageId !== undefined,
    initialPageParam: null as string | null,
    staleTime: 0,
    queryFn: async ({ pageParam }) => {
      const r = await c.loadHistory({ messageId: messageId!, before: pageParam });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    getNextPageParam: (last) => last.olderCursor,
  });
  const { refetch } = q;
  useEffect(() => {
    if (c.historyOpen && messageId !== undefined) void refetch();
  }, [savedLabel, c.historyOpen, messageId, refetch]);

  if (!c.historyOpen || messageId === undefined) return null;
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <aside
      id="turn-history-drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="turn-history-title"
      className="fixed inset-y-0 right-0 z-30 flex w-full max-w-lg flex-col border-l border-slate-200 bg-white shadow-2xl"
    >
      <div className="flex items-start justify-between border-b border-slate-200 p-4">
        <div>
          <h2 id="turn-history-title" className="text-lg font-semibold">
            History of {turnLabel.toLowerCase()}
          </h2>
          <p className="text-xs text-slate-500">
            Every change by anyone, newest first. <kbd>j</kbd>/<kbd>k</kbd> move to another turn · <kbd>h</kbd> or <kbd>Esc</kbd> closes.
          </p>
        </div>
        <button type="button" onClick={() => c.setHistoryOpen(false)} className="rounded border px-2 py-1 text-sm hover:bg-slate-100">
          Close
        </button>
      </div>
      <div className="flex-1 overflow-y-auto p-4">
        {q.isPending && <p className="text-sm text-slate-500">Loading history…</p>}
        {q.isError && (
          <p role="alert" className="text-sm text-red-700">
            Could not load the history: {q.error.message}
          </p>
        )}
        {q.data?.pages[0]?.othersHidden && (
          <p className="mb-3 rounded bg-slate-100 px-2 py-1 text-xs text-slate-600" data-testid="history-blind">
            Blind labeling: other reviewers&apos; label changes show once you have labeled this turn.
          </p>
        )}
        {q.isSuccess && entries.length === 0 && <p className="text-sm text-slate-500">No changes yet: nobody has labeled, skipped or flagged this turn.</p>}
        {entries.length > 0 && (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Changes to {turnLabel}</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-2">When</th>
                <th className="py-1 pr-2">Who</th>
                <th className="py-1 pr-2">Change</th>
                <th className="py-1">Source</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.key} className="border-t border-slate-100 align-top" data-testid="history-row">
                  <td className="py-1.5 pr-2 text-xs whitespace-nowrap text-slate-600">
                    <time dateTime={e.at}>
                      {day.format(new Date(e.at))}
                      <br />
                      {clock.format(new Date(e.at))} UTC
                    </time>
                  </td>
                  <td className="py-1.5 pr-2" title={e.whoEmail}>
                    {e.who}
                  </td>
                  <td className="py-1.5 pr-2">
                    <span className={e.undone ? 'line-through opacity-60' : ''}>
                      {value(e.kind, e.from)} → <strong>{value(e.kind, e.to)}</strong>
                    </span>
                    {e.undone && <span className="ml-1 text-xs text-slate-500">(undone)</span>}
                  </td>
                  <td className="py-1.5 text-xs">
                    <span className="inline-block rounded bg-slate-100 px-1.5 py-0.5">{SOURCE[e.source] ?? e.source}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {q.hasNextPage && (
          <button
            type="button"
            onClick={() => void q.fetchNextPage()}
            disabled={q.isFetchingNextPage}
            className="mt-3 rounded border px-3 py-1 text-sm hover:bg-slate-100"
          >
            {q.isFetchingNextPage ? 'Loading…' : 'Show older changes'}
          </button>
        )}
      </div>
    </aside>
  );
}
