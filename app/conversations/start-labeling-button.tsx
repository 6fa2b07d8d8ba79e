'use client';

import { useQueueNavigation, type NextConversationAction } from '@/components/labeling/use-queue-navigation';

/** Hands the reviewer the next conversation of this list view that still needs them (the work queue). */
export function StartLabelingButton({ view, nextConversation }: { view: string; nextConversation: NextConversationAction }) {
  const { goNext, navigating, state } = useQueueNavigation({ currentId: null, view, unfinished: false, nextConversation });
  return (
    <div className="flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={goNext}
        disabled={navigating}
        className="rounded bg-emerald-600 px-4 py-2 font-medium text-white hover:bg-emerald-700 disabled:opacity-60"
      >
        {navigating ? 'Finding a conversation…' : 'Start labeling'}
      </button>
      {typeof state === 'object' && 'none' in state && (
        <p role="status" className="text-sm text-emerald-800">
          Nothing in this view needs you: every conversation here has your labels, enough reviewers, or is being labeled by others.
        </p>
      )}
      {typeof state === 'object' && 'error' in state && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
    </div>
  );
}
