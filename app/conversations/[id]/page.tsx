import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { pageId } from '@/lib/boundary/page-params';
import { getConversationThread, overallProgress } from '@/lib/conversations/get-conversation';
import { LabelingThread } from '@/components/labeling/labeling-thread';
import {
  addTurnCommentAction,
  deleteTurnCommentAction,
  labelTurnAction,
  nextConversationAction,
  otherLabelsAction,
  setTurnFlagAction,
  setTurnSkippedAction,
  turnHistoryAction,
  undoLastChangeAction,
} from './actions';
import { paramsAsText, parseView, viewQuery } from '@/lib/conversations/list-params';
import { turnActionsState } from '@/lib/labeling/turn-actions-queries';
import { decisionForConversation } from '@/lib/advisor/queries';
import { suggestionsForConversation } from '@/lib/suggestions/queries';

function liveDecisionNote(
  d: NonNullable<Awaited<ReturnType<typeof decisionForConversation>>>,
  messageId: number | undefined,
  pending: boolean,
): { messageId: number; text: string } | null {
  if (messageId === undefined) return null;
  const what = d.decision
    ? `${d.decision} at confidence ${d.confidence === null ? '—' : d.confidence.toFixed(2)} (${d.acted ? 'acted' : `deferred, below ${d.threshold}`})`
    : `no decision (${d.fallbackReason ?? 'fell back'})`;
  return {
    messageId,
    text: `Advisor decision #${d.id} by ${d.model}: ${what}.${pending ? ' It decided the next recruiter turn after this message, which is not in the conversation yet.' : ''}`,
  };
}

const actions = {
  labelTurn: labelTurnAction,
  nextConversation: nextConversationAction,
  otherLabels: otherLabelsAction,
  turnActions: {
    setSkipped: setTurnSkippedAction,
    setFlag: setTurnFlagAction,
    addComment: addTurnCommentAction,
    deleteComment: deleteTurnCommentAction,
    undo: undoLastChangeAction,
    history: turnHistoryAction,
  },
};

export const metadata: Metadata = { title: 'Conversation' };

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ turn?: string; truth?: string; predicted?: string; decision?: string; view?: string | string[] }>;
}) {
  const { id } = await params;
  const { turn, truth, predicted, decision, view: rawView } = await searchParams;
  // The list view this conversation was opened from, parsed and written again (only known,
  // valid keys survive): the work queue stays inside it and the back link returns to it.
  const view = viewQuery(paramsAsText(parseView(typeof rawView === 'string' ? rawView : '')));
  const listHrefBack = view ? `/conversations?${view}` : '/conversations';
  const actor = await actorOrSignIn(`/conversations/${id}${view ? `?view=${encodeURIComponent(view)}` : ''}`);
  const conversationId = pageId(id);
  const [thread, progress, suggestions] = await Promise.all([
    getConversationThread(actor, conversationId),
    overallProgress(actor),
    suggestionsForConversation(actor, conversationId),
  ]);
  if (!thread) notFound();
  const turnActions = await turnActionsState(actor, thread);
  const live = decision && /^\d{1,15}$/.test(decision) ? await decisionForConversation(actor, Number(decision), thread.id) : null;
  // A live decision is about the recruiter's next turn: that message once it is stored, else
  // (not sent yet) the last message, after which the turn was decided.
  const decidedTurn = live ? thread.messages.find((m) => m.position === live.position && m.sender === 'recruiter') : undefined;
  const decisionNote = live ? liveDecisionNote(live, decidedTurn?.id ?? thread.messages[thread.messages.length - 1]?.id, !decidedTurn) : null;
  const focusTurn = turn && /^\d{1,9}$/.test(turn) ? Number(turn) : (decidedTurn?.id ?? null);
  // An evaluation's drill-down names the true and predicted labels of that turn.
  const known = (v: string | undefined) => (v && /^(END|CONTINUE|SCHEDULE|invalid)$/.test(v) ? v : null);
  const evalHighlight = focusTurn && known(truth) && known(predicted) ? { truth: known(truth)!, predicted: known(predicted)! } : null;

  return (
    <div className="space-y-4">
      <Link href={listHrefBack} className="text-sm text-indigo-700 hover:underline">
        ← All conversations
      </Link>
      <LabelingThread
        key={thread.id}
        thread={thread}
        overall={progress}
        focusTurnId={focusTurn}
        evalHighlight={evalHighlight}
        decisionNote={decisionNote}
        suggestions={suggestions}
        view={view}
        actions={actions}
        turnActionsInitial={turnActions}
      />
    </div>
  );
}
