'use client';

// Optimistic, ordered, retried label writes. Every write goes through one TanStack Query
// mutation scope, so writes run one after another in the order the keys were pressed,
// each retried with backoff before the next starts: no keystroke is lost or reordered.
// Offline, TanStack Query holds the writes (paused, still in order) and sends them when the
// connection is back. A write that finally fails is rolled back to the last stored value,
// so the buttons and the progress only ever count what the server has.
import { useMutation } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { LabelTurnResult } from '@/lib/labeling/label-turn';
import type { LabelValueName } from '@/lib/labeling/label-values';

// failed: worth retrying (network, server trouble); refused: retrying cannot help (bad input,
// not allowed, no such turn, signed out), so it is not retried.
export type SaveStatus = 'saving' | 'saved' | 'failed' | 'refused';

/** The label server action, handed down from the page (components do not import app/). */
export type LabelTurnAction = (input: {
  messageId: number;
  value: LabelValueName | null;
  source?: 'ui' | 'suggestion';
}) => Promise<ActionResult<LabelTurnResult>>;

class LabelSaveError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
  ) {
    super(message);
  }
}

interface Write {
  messageId: number;
  value: LabelValueName | null;
  seq: number;
  /** "suggestion": the reviewer accepted the model's suggestion (recorded so in history). */
  source?: 'suggestion';
}

type Labels = Record<number, LabelValueName | null>;

export function useLabelWriter(initial: Labels, labelTurnAction: LabelTurnAction) {
  // What the buttons show (optimistic) and what the server has confirmed.
  const [labels, setLabels] = useState(initial);
  const [confirmed, setConfirmed] = useState(initial);
  const confirmedRef = useRef(initial);
  const [status, setStatus] = useState<Record<number, SaveStatus>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  // The value a failed write wanted, for Retry (the button itself is rolled back).
  const [unsaved, setUnsaved] = useState<Labels>({});
  const [signedOut, setSignedOut] = useState(false);
  // The newest write per turn decides what its status shows.
  const latestSeq = useRef<Record<number, number>>({});
  const seq = useRef(0);

  const mutation = useMutation<unknown, LabelSaveError, Write>({
    scope: { id: 'label-writes' },
    mutationFn: async ({ messageId, value, source }) => {
      let res;
      try {
        res = await labelTurnAction({ messageId, value, ...(source ? { source } : {}) });
      } catch {
        throw new LabelSaveError('Network error while saving.', true, 'network');
      }
      if (!res.ok) throw new LabelSaveError(res.message, res.retryable, res.code);
      return res.data;
    },
    retry: (failures, err) => err.retryable && failures < 5,
    retryDelay: (attempt) => Math.min(250 * 2 ** attempt, 4000),
    onSuccess: (_data, w) => {
      confirmedRef.current = { ...confirmedRef.current, [w.messageId]: w.value };
      setConfirmed(confirmedRef.current);
      if (latestSeq.current[w.messageId] !== w.seq) return;
      setStatus((s) => ({ ...s, [w.messageId]: 'saved' }));
      setUnsaved((u) => withoutKey(u, w.messageId));
      setSignedOut(false);
    },
    onError: (err, w) => {
      if (err.code === 'unauthenticated') setSignedOut(true);
      if (latestSeq.current[w.messageId] !== w.seq) return;
      // Roll back to what the server has: a label that was not stored is not shown as given.
      setLabels((l) => ({ ...l, [w.messageId]: confirmedRef.current[w.messageId] ?? null }));
      setUnsaved((u) => ({ ...u, [w.messageId]: w.value }));
      setStatus((s) => ({ ...s, [w.messageId]: err.retryable ? 'failed' : 'refused' }));
      setErrors((e) => ({ ...e, [w.messageId]: err.message }));
    },
  });

  const write = useCallback(
    (messageId: number, value: LabelValueName | null, source?: 'suggestion') => {
      const w = { messageId, value, seq: ++seq.current, ...(source ? { source } : {}) };
      latestSeq.current[messageId] = w.seq;
      setLabels((l) => ({ ...l, [messageId]: value }));
      setStatus((s) => ({ ...s, [messageId]: 'saving' }));
      mutation.mutate(w);
    },
    [mutation],
  );

  const retry = useCallback(
    (messageId: number) => write(messageId, messageId in unsaved ? (unsaved[messageId] ?? null) : (labels[messageId] ?? null)),
    [write, labels, unsaved],
  );

  // An undo (./turn-actions-state.ts) changed the label on the server: show the value it
  // restored, as stored, with no "Saved ✓" of its own, and let no earlier write's status overwrite it.
  const restore = useCallback((messageId: number, value: LabelValueName | null) => {
    latestSeq.current[messageId] = ++seq.current;
    confirmedRef.current = { ...confirmedRef.current, [messageId]: value };
    setConfirmed(confirmedRef.current);
    setLabels((l) => ({ ...l, [messageId]: value }));
    setUnsaved((u) => withoutKey(u, messageId));
    setStatus((s) => withoutKey(s, messageId));
  }, []);

  return { labels, confirmed, status, errors, unsaved, signedOut, write, retry, restore };
}

function withoutKey<T>(o: Record<number, T>, k: number): Record<number, T> {
  if (!(k in o)) return o;
  const rest = { ...o };
  delete rest[k];
  return rest;
}
