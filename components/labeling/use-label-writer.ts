'use client';

// Optimistic, ordered, retried label writes. Every write goes through one TanStack Query
// mutation scope, so writes run one after another in the order the keys were pressed,
// each retried with backoff before the next starts: no keystroke is lost or reordered.
import { useMutation } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { LabelTurnResult } from '@/lib/labeling/label-turn';
import type { LabelValueName } from '@/lib/labeling/label-values';

// failed: worth retrying (network, server trouble); refused: retrying cannot help (bad input,
// not allowed, no such turn), so it is not retried and offers no Retry.
export type SaveStatus = 'saving' | 'saved' | 'failed' | 'refused';

/** The label server action, handed down from the page (components do not import app/). */
export type LabelTurnAction = (input: { messageId: number; value: LabelValueName | null }) => Promise<ActionResult<LabelTurnResult>>;

class LabelSaveError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface Write {
  messageId: number;
  value: LabelValueName | null;
  seq: number;
}

export function useLabelWriter(initial: Record<number, LabelValueName | null>, labelTurnAction: LabelTurnAction) {
  const [labels, setLabels] = useState(initial);
  const [status, setStatus] = useState<Record<number, SaveStatus>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  // The newest write per turn decides what its status shows.
  const latestSeq = useRef<Record<number, number>>({});
  const seq = useRef(0);

  const mutation = useMutation<unknown, LabelSaveError, Write>({
    scope: { id: 'label-writes' },
    mutationFn: async ({ messageId, value }) => {
      let res;
      try {
        res = await labelTurnAction({ messageId, value });
      } catch {
        throw new LabelSaveError('Network error while saving.', true);
      }
      if (!res.ok) throw new LabelSaveError(res.message, res.retryable);
      return res.data;
    },
    retry: (failures, err) => err.retryable && failures < 5,
    retryDelay: (attempt) => Math.min(250 * 2 ** attempt, 4000),
    onSuccess: (_data, w) => {
      if (latestSeq.current[w.messageId] === w.seq) setStatus((s) => ({ ...s, [w.messageId]: 'saved' }));
    },
    onError: (err, w) => {
      if (latestSeq.current[w.messageId] !== w.seq) return;
      setStatus((s) => ({ ...s, [w.messageId]: err.retryable ? 'failed' : 'refused' }));
      setErrors((e) => ({ ...e, [w.messageId]: err.message }));
    },
  });

  const write = useCallback(
    (messageId: number, value: LabelValueName | null) => {
      const w = { messageId, value, seq: ++seq.current };
      latestSeq.current[messageId] = w.seq;
      setLabels((l) => ({ ...l, [messageId]: value }));
      setStatus((s) => ({ ...s, [messageId]: 'saving' }));
      mutation.mutate(w);
    },
    [mutation],
  );

  const retry = useCallback((messageId: number) => write(messageId, labels[messageId] ?? null), [write, labels]);

  // An undo (./turn-actions-state.ts) changed the label on the server: show the value it
  // restored, with no "Saved ✓" of its own, and let no earlier write's status overwrite it.
  const restore = useCallback((messageId: number, value: LabelValueName | null) => {
    latestSeq.current[messageId] = ++seq.current;
    setLabels((l) => ({ ...l, [messageId]: value }));
    setStatus(({ [messageId]: _dropped, ...rest }) => rest);
  }, []);

  return { labels, status, errors, write, retry, restore };
}
