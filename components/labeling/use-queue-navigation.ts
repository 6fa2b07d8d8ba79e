'use client';

// `n` / "Next conversation": asks the work queue for the next conversation of the list view
// the reviewer works in (?view=…), and opens it keeping that view. Keys typed meanwhile are
// held (./keystroke-buffer.ts) and replayed on the new conversation by its thread.
import { useRouter } from 'next/navigation';
import { useCallback, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/boundary/action-state';
import type { Claim } from '@/lib/labeling/queue';
import { conversationHref } from '@/lib/conversations/list-params';
import { cancelBuffering, rememberSkipped, skippedConversations, startBuffering } from './keystroke-buffer';

export type NextConversationAction = (input: { view: string; currentId: number | null; exclude?: number[] }) => Promise<ActionResult<Claim | null>>;

export type NextState = 'idle' | { none: true; dropped: number } | { error: string; signIn: boolean };

export function useQueueNavigation({
  currentId,
  view,
  unfinished,
  nextConversation,
}: {
  /** The conversation being left; null on the list. */
  currentId: number | null;
  view: string;
  /** The reviewer leaves turns here unlabeled: `n` should not hand it straight back. */
  unfinished: boolean;
  nextConversation: NextConversationAction;
}) {
  const router = useRouter();
  const [state, setState] = useState<NextState>('idle');
  const [navigating, startNavigation] = useTransition();

  const goNext = useCallback(() => {
    startBuffering(currentId);
    if (currentId !== null && unfinished) rememberSkipped(currentId);
    setState('idle');
    startNavigation(async () => {
      let r: ActionResult<Claim | null>;
      try {
        r = await nextConversation({ view, currentId, exclude: skippedConversations().filter((id) => id !== currentId) });
      } catch {
        cancelBuffering();
        setState({ error: 'Network error while finding the next conversation. Try again.', signIn: false });
        return;
      }
      if (!r.ok) {
        cancelBuffering();
        setState({ error: r.message, signIn: r.code === 'unauthenticated' });
      } else if (r.data == null) {
        setState({ none: true, dropped: cancelBuffering() });
      } else {
        router.push(conversationHref(r.data.conversationId, view));
      }
    });
  }, [currentId, unfinished, view, nextConversation, router]);

  return { goNext, navigating, state };
}
