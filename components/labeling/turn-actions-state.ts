'use client';

// Client state of skip, flag, comment, undo and the history drawer for one conversation.
// Every write runs in the label writer's mutation scope ('label-writes'), so it runs after
// the labels typed before it and before those typed after: Ctrl+Z right after a key undoes
// that key's label, never the one before.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { ConversationThread } from '@/lib/conversations/get-conversation';
import type { TurnComment } from '@/lib/labeling/comments';
import type { HistoryPage } from '@/lib/labeling/history';
import type { LabelValueName } from '@/lib/labeling/label-values';
import { sequenceProblems, type SequenceProblem } from '@/lib/labeling/sequence-checks';
import type { FlagResult, SkipResult } from '@/lib/labeling/turn-actions';
import { TURN_FLAG_REASONS, type TurnFlagReasonName } from '@/lib/labeling/turn-actions-flag-reasons';
import type { TurnActionsState, TurnFlagView } from '@/lib/labeling/turn-actions-queries';
import type { UndoResult } from '@/lib/labeling/undo';

/** The page's server actions for these (components do not import app/). */
export interface TurnActionsServer {
  setSkipped: (input: { messageId: number; skipped: boolean }) => Promise<ActionResult<SkipResult>>;
  setFlag: (input: { messageId: number; reason: TurnFlagReasonName | null }) => Promise<ActionResult<FlagResult>>;
  addComment: (input: { messageId: number; body: string }) => Promise<ActionResult<TurnComment>>;
  deleteComment: (commentId: number) => Promise<ActionResult<{ commentId: number; messageId: number }>>;
  undo: (conversationId: number) => Promise<ActionResult<UndoResult>>;
  history: (input: { messageId: number; before: string | null }) => Promise<ActionResult<HistoryPage>>;
}

/** What a turn says about the last thing done to it (an undo, a skip, a failure). */
export interface TurnNotice {
  text: string;
  tone: 'ok' | 'error';
}

export const historyKey = (messageId: number) => ['turn-history', messageId] as const;

interface Job {
  run: () => Promise<ActionResult<unknown>>;
  done: (data: unknown) => void;
  failed: (message: string) => void;
}

const show = (v: string | boolean | null) => (v === null || v === false ? 'none' : v === true ? 'skipped' : v);

function describeUndo(r: Extract<UndoResult, { undone: true }>): string {
  if (r.kind === 'label') return `Undone: label ${show(r.from)} → ${show(r.to)}`;
  if (r.kind === 'skip') return r.to ? 'Undone: skipped again' : 'Undone: skip taken back';
  const name = (v: TurnFlagReasonName | null) => (v ? `“${TURN_FLAG_REASONS[v]}”` : 'no flag');
  return `Undone: flag ${name(r.from)} → ${name(r.to)}`;
}

export function useTurnActions(opts: {
  thread: ConversationThread;
  initial: TurnActionsState;
  server: TurnActionsServer;
  /** The viewer's labels as the page shows them now (the label writer's state). */
  myLabels: Record<number, LabelValueName | null>;
  /** Decision turns in order (what auto-advance visits). */
  decisionTurnIds: readonly number[];
  /** Undo changed a label on the server: show it without "Saved ✓". */
  onLabelRestored: (messageId: number, value: LabelValueName | null) => void;
  onFocusTurn: (messageId: number) => void;
}) {
  const { thread, server, onLabelRestored, onFocusTurn } = opts;
  const queryClient = useQueryClient();
  const [skipped, setSkippedState] = useState(() => new Set(opts.initial.skipped));
  const skippedRef = useRef(skipped);
  const [flags, setFlags] = useState<Record<number, TurnFlagView[]>>(opts.initial.flags);
  const [comments, setComments] = useState<TurnComment[]>(opts.initial.comments);
  const [notices, setNotices] = useState<Record<number, TurnNotice>>({});
  const [toast, setToast] = useState<{ text: string; n: number } | null>(null);
  const [flagPickerFor, setFlagPickerFor] = useState<number | null>(null);
  const [commentBoxFor, setCommentBoxFor] = useState<number | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const myLabelsRef = useRef(opts.myLabels);
  const decisionRef = useRef(opts.decisionTurnIds);
  useLayoutEffect(() => {
    myLabelsRef.current = opts.myLabels;
    decisionRef.current = opts.decisionTurnIds;
  }, [opts.myLabels, opts.decisionTurnIds]);

  const mutation = useMutation<unknown, Error, Job>({
    scope: { id: 'label-writes' },
    mutationFn: async (job) => {
      let res: ActionResult<unknown>;
      try {
        res = await job.run();
      } catch {
        throw new Error('Network error: nothing was changed. Try again.');
      }
      if (!res.ok) throw new Error(res.message);
      return res.data;
    },
    onSuccess: (data, job) => job.done(data),
    onError: (err, job) => job.failed(err.message),
  });
  const { mutate } = mutation;

  const notify = useCallback((messageId: number, notice: TurnNotice) => setNotices((n) => ({ ...n, [messageId]: notice })), []);
  const refreshHistory = useCallback((messageId: number) => void queryClient.invalidateQueries({ queryKey: historyKey(messageId) }), [queryClient]);
  const setSkipped = useCallback((messageId: number, on: boolean) => {
    const next = new Set(skippedRef.current);
    if (on) next.add(messageId);
    else next.delete(messageId);
    skippedRef.current = next;
    setSkippedState(next);
  }, []);
  const setMyFlag = useCallback(
    (messageId: number, reason: TurnFlagReasonName | null) =>
      setFlags((all) => {
        const others = (all[messageId] ?? []).filter((f) => !f.mine);
        return { ...all, [messageId]: reason ? [...others, { reviewerId: 'me', reviewerName: 'You', reason, mine: true }] : others };
      }),
    [],
  );
  const myFlag = useCallback((messageId: number) => flags[messageId]?.find((f) => f.mine)?.reason ?? null, [flags]);

  /** The next decision turn after `messageId` without my label or skip (wrapping), if any. */
  const nextNeedingMe = useCallback((messageId: number): number | null => {
    const ids = decisionRef.current;
    const i = ids.indexOf(messageId);
    const order = [...ids.slice(i + 1), ...ids.slice(0, Math.max(i, 0))];
    return order.find((id) => !myLabelsRef.current[id] && !skippedRef.current.has(id)) ?? null;
  }, []);

  const toggleSkip = useCallback(
    (messageId: number) => {
      const on = !skippedRef.current.has(messageId);
      setSkipped(messageId, on);
      notify(messageId, { text: on ? 'Skipping…' : 'Taking the skip back…', tone: 'ok' });
      if (on) {
        const next = nextNeedingMe(messageId);
        if (next !== null) onFocusTurn(next);
      }
      mutate({
        run: () => server.setSkipped({ messageId, skipped: on }),
        done: () => {
          notify(messageId, { text: on ? 'Skipped: left for others ✓' : 'Skip taken back ✓', tone: 'ok' });
          refreshHistory(messageId);
        },
        failed: (message) => {
          setSkipped(messageId, !on);
          notify(messageId, { text: `Skip not saved: ${message}`, tone: 'error' });
        },
      });
    },
    [mutate, server, setSkipped, notify, refreshHistory, nextNeedingMe, onFocusTurn],
  );

  const chooseFlag = useCallback(
    (messageId: number, reason: TurnFlagReasonName | null) => {
      const before = myFlag(messageId);
      setFlagPickerFor(null);
      if (before === reason) return;
      setMyFlag(messageId, reason);
      notify(messageId, { text: 'Saving the flag…', tone: 'ok' });
      mutate({
        run: () => server.setFlag({ messageId, reason }),
        done: () => {
          notify(messageId, { text: reason ? `Flagged “${TURN_FLAG_REASONS[reason]}” ✓` : 'Flag removed ✓', tone: 'ok' });
          refreshHistory(messageId);
        },
        failed: (message) => {
          setMyFlag(messageId, before);
          notify(messageId, { text: `Flag not saved: ${message}`, tone: 'error' });
        },
      });
    },
    [mutate, server, myFlag, setMyFlag, notify, refreshHistory],
  );

  /** Posts a comment; resolves to an error message, or null once it is stored. */
  const postComment = useCallback(
    (messageId: number, body: string) =>
      new Promise<string | null>((resolve) =>
        mutate({
          run: () => server.addComment({ messageId, body }),
          done: (data) => {
            setComments((all) => [...all, data as TurnComment]);
            resolve(null);
          },
          failed: (message) => resolve(message),
        }),
      ),
    [mutate, server],
  );

  const removeComment = useCallback(
    (comment: TurnComment) =>
      mutate({
        run: () => server.deleteComment(comment.id),
        done: () => setComments((all) => all.filter((c) => c.id !== comment.id)),
        failed: (message) => notify(comment.messageId, { text: `Comment not deleted: ${message}`, tone: 'error' }),
      }),
    [mutate, server, notify],
  );

  const undo = useCallback(() => {
    mutate({
      run: () => server.undo(thread.id),
      done: (data) => {
        const r = data as UndoResult;
        // A no-op says so: nothing was saved, so nothing claims "Saved ✓".
        if (!r.undone) return setToast((t) => ({ text: 'Nothing to undo: you have made no change here that is not undone already.', n: (t?.n ?? 0) + 1 }));
        if (r.kind === 'label') onLabelRestored(r.messageId, r.to);
        else if (r.kind === 'skip') setSkipped(r.messageId, r.to);
        else setMyFlag(r.messageId, r.to);
        onFocusTurn(r.messageId);
        notify(r.messageId, { text: `${describeUndo(r)} ✓`, tone: 'ok' });
        setToast((t) => ({ text: describeUndo(r), n: (t?.n ?? 0) + 1 }));
        refreshHistory(r.messageId);
      },
      failed: (message) => setToast((t) => ({ text: `Undo failed: ${message}`, n: (t?.n ?? 0) + 1 })),
    });
  }, [mutate, server, thread.id, onLabelRestored, onFocusTurn, setSkipped, setMyFlag, notify, refreshHistory]);

  // Sequence checks over the labels shown now, so a notice appears (and goes) as you label.
  const problems = useMemo(() => {
    const out: Record<number, SequenceProblem[]> = {};
    const checked = sequenceProblems(
      thread.messages.map((m) => {
        const mine = opts.myLabels[m.id];
        return {
          id: m.id,
          position: m.position,
          sender: m.sender,
          sentAt: m.sentAt,
          labels: [
            ...(mine ? [{ reviewerId: 'me', reviewerName: 'you', value: mine }] : []),
            ...m.otherLabels.map((l) => ({ reviewerId: l.reviewerId, reviewerName: l.reviewerName, value: l.value })),
          ],
        };
      }),
    );
    for (const p of checked) (out[p.messageId] ??= []).push(p);
    return out;
  }, [thread.messages, opts.myLabels]);

  return {
    conversationId: thread.id,
    skipped,
    skippedRef,
    flags,
    comments,
    notices,
    toast,
    problems,
    flagPickerFor,
    setFlagPickerFor,
    commentBoxFor,
    setCommentBoxFor,
    historyOpen,
    setHistoryOpen,
    myFlag,
    toggleSkip,
    chooseFlag,
    postComment,
    removeComment,
    undo,
    loadHistory: server.history,
  };
}

export type TurnActionsController = ReturnType<typeof useTurnActions>;
