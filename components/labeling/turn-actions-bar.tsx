'use client';

// Under a recruiter turn's label buttons: skip, flag, comment and history, what they say
// about the turn, and the sequence-check notices. Comments are user text: rendered as text.
import { useEffect, useRef, useState } from 'react';
import { COMMENT_MAX_CHARS } from '@/lib/labeling/comments-limits';
import { TURN_FLAG_REASONS, type TurnFlagReasonName } from '@/lib/labeling/turn-actions-flag-reasons';
import { formatDateTime } from '@/components/ui/format-time';
import type { TurnActionsController } from './turn-actions-state';

const RULE_TITLE = {
  after_end: 'Labeled after an END',
  schedule_then_end: 'END right after SCHEDULE',
  self_contradiction: 'Two decisions on the same context',
} as const;

const small = 'rounded border border-white/40 bg-white/10 px-2 py-0.5 text-xs hover:bg-white/25';

export function TurnActionsBar({ messageId, c, onFocus }: { messageId: number; c: TurnActionsController; onFocus: () => void }) {
  const skipped = c.skipped.has(messageId);
  const flags = c.flags[messageId] ?? [];
  const mine = c.myFlag(messageId);
  const comments = c.comments.filter((x) => x.messageId === messageId);
  const notice = c.notices[messageId];
  const problems = c.problems[messageId] ?? [];
  const stop = (f: () => void) => (e: React.MouseEvent) => {
    e.stopPropagation();
    onFocus();
    f();
  };

  return (
    <div className="mt-2 space-y-1.5" data-testid="turn-actions">
      <div className="flex flex-wrap items-center gap-1.5">
        <button type="button" aria-pressed={skipped} onClick={stop(() => c.toggleSkip(messageId))} className={`${small} ${skipped ? 'bg-white/40' : ''}`}>
          {skipped ? 'Skipped' : 'Skip'} <kbd className="opacity-70">x</kbd>
        </button>
        <button
          type="button"
          aria-expanded={c.flagPickerFor === messageId}
          onClick={stop(() => c.setFlagPickerFor(c.flagPickerFor === messageId ? null : messageId))}
          className={`${small} ${mine ? 'bg-white/40' : ''}`}
        >
          {mine ? `Flagged: ${TURN_FLAG_REASONS[mine]}` : 'Flag'} <kbd className="opacity-70">f</kbd>
        </button>
        <button type="button" onClick={stop(() => c.setCommentBoxFor(messageId))} className={small}>
          Comment <kbd className="opacity-70">m</kbd>
        </button>
        <button
          type="button"
          onClick={stop(() => c.setHistoryOpen(true))}
          className={small}
          aria-label="History of this turn"
          aria-controls="turn-history-drawer"
        >
          History <kbd className="opacity-70">h</kbd>
        </button>
        {notice && (
          <span
            role={notice.tone === 'error' ? 'alert' : 'status'}
            className={`text-xs ${notice.tone === 'error' ? 'rounded bg-red-100 px-1 text-red-800' : ''}`}
          >
            {notice.text}
          </span>
        )}
      </div>

      {c.flagPickerFor === messageId && <FlagPicker current={mine} onChoose={(r) => c.chooseFlag(messageId, r)} onCancel={() => c.setFlagPickerFor(null)} />}

      {skipped && <p className="text-xs opacity-90">You skipped this turn: it is left for others and no longer counts as waiting for you.</p>}

      {flags.length > 0 && (
        <ul aria-label="Flags on this turn" className="flex flex-wrap gap-1 text-xs">
          {flags.map((f) => (
            <li key={f.reviewerId} className="rounded bg-amber-300 px-1.5 py-0.5 font-medium text-amber-950">
              ⚑ {f.mine ? 'You' : f.reviewerName}: {TURN_FLAG_REASONS[f.reason]}
            </li>
          ))}
        </ul>
      )}

      {problems.map((p) => (
        <p key={`${p.rule}-${p.reviewerId ?? ''}`} role="note" data-testid="sequence-notice" className="rounded bg-amber-100 px-2 py-1 text-xs text-amber-950">
          <strong>Sequence check — {RULE_TITLE[p.rule]}.</strong> {p.explanation}
        </p>
      ))}

      {comments.length > 0 && (
        <ul aria-label="Comments on this turn" className="space-y-1">
          {comments.map((x) => (
            <li key={x.id} className="rounded bg-white px-2 py-1 text-xs text-slate-900">
              <span className="font-semibold">{x.authorName}</span> <span className="text-slate-500">· {formatDateTime(x.createdAt)}</span>
              {x.deletable && (
                <button
                  type="button"
                  onClick={stop(() => c.removeComment(x))}
                  className="ml-2 text-red-700 underline"
                  aria-label={`Delete comment by ${x.authorName}`}
                >
                  Delete
                </button>
              )}
              <p className="whitespace-pre-wrap break-words">{x.body}</p>
            </li>
          ))}
        </ul>
      )}

      {c.commentBoxFor === messageId && (
        <CommentForm onPost={(body) => c.postComment(messageId, body)} onClose={() => c.setCommentBoxFor(null)} onDone={onFocus} />
      )}
    </div>
  );
}

function FlagPicker({
  current,
  onChoose,
  onCancel,
}: {
  current: TurnFlagReasonName | null;
  onChoose: (r: TurnFlagReasonName | null) => void;
  onCancel: () => void;
}) {
  return (
    <div role="group" aria-label="Flag reason" className="flex flex-wrap items-center gap-1.5 rounded bg-white/15 p-1.5 text-xs">
      <span>Flag for the ML lead:</span>
      {(Object.entries(TURN_FLAG_REASONS) as [TurnFlagReasonName, string][]).map(([r, name], i) => (
        <button
          key={r}
          type="button"
          aria-pressed={current === r}
          onClick={(e) => {
            e.stopPropagation();
            onChoose(r);
          }}
          className={`${small} ${current === r ? 'bg-white/40' : ''}`}
        >
          <kbd className="opacity-70">{i + 1}</kbd> {name}
        </button>
      ))}
      {current && (
        <button
          type="button"
          onClick={(e) => {
            e.stopPropagation();
            onChoose(null);
          }}
          className={small}
        >
          <kbd className="opacity-70">0</kbd> Remove flag
        </button>
      )}
      <button
        type="button"
        onClick={(e) => {
          e.stopPropagation();
          onCancel();
        }}
        className="underline"
      >
        Cancel (Esc)
      </button>
    </div>
  );
}

function CommentForm({ onPost, onClose, onDone }: { onPost: (body: string) => Promise<string | null>; onClose: () => void; onDone: () => void }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  const length = [...body.trim()].length;
  const close = () => {
    onClose();
    onDone();
  };
  async function post() {
    setPosting(true);
    const failure = await onPost(body);
    setPosting(false);
    if (failure) return setError(failure);
    close();
  }
  return (
    <form
      className="space-y-1 rounded bg-white p-2 text-xs text-slate-900"
      onClick={(e) => e.stopPropagation()}
      onSubmit={(e) => {
        e.preventDefault();
        void post();
      }}
    >
      <label htmlFor="turn-comment" className="block font-medium">
        Comment for the team (everyone who opens this conversation sees it)
      </label>
      <textarea
        id="turn-comment"
        ref={box}
        value={body}
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby="turn-comment-help"
        onChange={(e) => {
          setBody(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void post();
          }
        }}
        className="w-full rounded border border-slate-300 p-1.5"
      />
      <div className="flex items-center justify-between gap-2">
        <span id="turn-comment-help" className={length > COMMENT_MAX_CHARS ? 'font-semibold text-red-700' : 'text-slate-500'}>
          {length.toLocaleString('en-US')} / {COMMENT_MAX_CHARS.toLocaleString('en-US')} · Ctrl+Enter posts · Esc cancels
        </span>
        <span className="space-x-2">
          <button type="button" onClick={close} className="underline">
            Cancel
          </button>
          <button type="submit" disabled={posting} className="rounded bg-indigo-600 px-2 py-0.5 text-white disabled:opacity-60">
            {posting ? 'Posting…' : 'Post comment'}
          </button>
        </span>
      </div>
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
