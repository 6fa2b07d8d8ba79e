'use client';

// Blind labeling: others' labels on a turn arrive from the server only once the reviewer's
// own label on it is stored. After each confirmed save of a hidden turn this asks for them
// (the server checks again; nothing hidden was ever in the page).
import { useEffect, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { ThreadLabel, ThreadMessage } from '@/lib/conversations/get-conversation';
import type { LabelValueName } from '@/lib/labeling/label-values';

export type OtherLabelsAction = (messageId: number) => Promise<ActionResult<{ messageId: number; hidden: boolean; labels: ThreadLabel[] }>>;

export function useBlindReveal(turns: ThreadMessage[], confirmed: Record<number, LabelValueName | null>, otherLabels: OtherLabelsAction | undefined) {
  const [revealed, setRevealed] = useState<Record<number, ThreadLabel[]>>({});
  const asked = useRef(new Set<number>());

  useEffect(() => {
    if (!otherLabels) return;
    for (const t of turns) {
      if (!t.othersHidden || !confirmed[t.id] || asked.current.has(t.id)) continue;
      asked.current.add(t.id);
      void otherLabels(t.id)
        .then((r) => {
          if (r.ok && !r.data.hidden) setRevealed((s) => ({ ...s, [t.id]: r.data.labels }));
          else asked.current.delete(t.id);
        })
        .catch(() => asked.current.delete(t.id));
    }
  }, [turns, confirmed, otherLabels]);

  /** Others' labels to show on a turn, and whether they are still held back. */
  return (t: ThreadMessage): { others: ThreadLabel[]; hidden: boolean } =>
    t.othersHidden ? (revealed[t.id] ? { others: revealed[t.id], hidden: false } : { others: [], hidden: true }) : { others: t.otherLabels, hidden: false };
}
