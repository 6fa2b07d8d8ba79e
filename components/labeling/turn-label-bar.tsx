'use client';

import type { ThreadLabel } from '@/lib/conversations/get-conversation';
import { LABEL_VALUES, type LabelValueName } from '@/lib/labeling/label-values';
import type { SaveStatus } from './use-label-writer';

const PRESSED: Record<LabelValueName, string> = {
  END: 'bg-rose-500 text-white border-rose-200',
  CONTINUE: 'bg-sky-500 text-white border-sky-200',
  SCHEDULE: 'bg-emerald-500 text-white border-emerald-200',
};

export function TurnLabelBar({
  value,
  status,
  error,
  others,
  othersHidden = false,
  queued = false,
  unsavedValue,
  onLabel,
  onRetry,
}: {
  value: LabelValueName | null;
  status: SaveStatus | undefined;
  error: string | undefined;
  others: ThreadLabel[];
  /** Blind labeling: others' labels come after the reviewer's own. */
  othersHidden?: boolean;
  /** Offline: the write waits and goes out when the connection is back. */
  queued?: boolean;
  /** A write that failed was rolled back; this is the label it tried to give. */
  unsavedValue?: LabelValueName | null;
  onLabel: (v: LabelValueName) => void;
  onRetry: () => void;
}) {
  return (
    <div className="mt-2 border-t border-white/20 pt-2">
      <div className="flex flex-wrap items-center gap-1.5">
        {LABEL_VALUES.map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={value === v}
            onClick={(e) => {
              e.stopPropagation();
              onLabel(v);
            }}
            className={`rounded border px-2 py-0.5 font-mono text-xs font-semibold ${
              value === v ? PRESSED[v] : 'border-white/40 bg-white/10 text-white hover:bg-white/25'
            }`}
          >
            {v}
          </button>
        ))}
        <span className="ml-1 text-xs" role="status" aria-live="polite">
          {status === 'saving' && (queued ? 'Queued (offline)' : 'Saving…')}
          {status === 'saved' && 'Saved ✓'}
        </span>
        {status === 'refused' && (
          <span className="rounded bg-red-100 px-1 text-xs text-red-800" role="alert">
            Not saved{unsavedValue !== undefined ? ` (${unsavedValue ?? 'clear'})` : ''}: {error}
          </span>
        )}
        {status === 'failed' && (
          <span className="text-xs">
            <span className="rounded bg-red-100 px-1 text-red-800" role="alert">
              Not saved{unsavedValue !== undefined ? ` (${unsavedValue ?? 'clear'})` : ''}: {error}
            </span>{' '}
            <button
              type="button"
              onClick={(e) => {
                e.stopPropagation();
                onRetry();
              }}
              className="underline"
            >
              Retry
            </button>
          </span>
        )}
      </div>
      {othersHidden && (
        <p className="mt-1.5 text-xs opacity-75" data-testid="others-hidden">
          Blind labeling: others&apos; labels show once you have labeled this turn.
        </p>
      )}
      {others.length > 0 && (
        <ul aria-label="Other reviewers' labels" className="mt-1.5 flex flex-wrap gap-1 text-xs">
          {others.map((o) => (
            <li key={o.reviewerId} className="rounded bg-white/15 px-1.5 py-0.5" title={o.reviewerEmail}>
              {o.reviewerName}: <span className="font-mono font-semibold">{o.value}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
