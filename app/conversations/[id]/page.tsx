import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { getConversationThread, overallProgress } from '@/lib/conversations/get-conversation';
import { LabelingThread } from '@/components/labeling/labeling-thread';
import { labelTurnAction, nextConversationAction } from './actions';

const actions = { labelTurn: labelTurnAction, nextConversation: nextConversationAction };

export const metadata: Metadata = { title: 'Conversation' };

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ turn?: string; truth?: string; predicted?: string }>;
}) {
  const { id } = await params;
  const { turn, truth, predicted } = await searchParams;
  const actor = await actorOrSignIn(`/conversations/${id}`);
  const conversationId = /^\d{1,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isInteger(conversationId)) notFound();
  const [thread, progress] = await Promise.all([getConversationThread(actor, conversationId), overallProgress(actor)]);
  if (!thread) notFound();
  const focusTurn = turn && /^\d{1,9}$/.test(turn) ? Number(turn) : null;
  // An evaluation's drill-down names the true and predicted labels of that turn.
  const known = (v: string | undefined) => (v && /^(END|CONTINUE|SCHEDULE|invalid)$/.test(v) ? v : null);
  const evalHighlight = focusTurn && known(truth) && known(predicted) ? { truth: known(truth)!, predicted: known(predicted)! } : null;

  return (
    <div className="space-y-4">
      <Link href="/conversations" className="text-sm text-indigo-700 hover:underline">
        ← All conversations
      </Link>
      <LabelingThread key={thread.id} thread={thread} overall={progress} focusTurnId={focusTurn} evalHighlight={evalHighlight} actions={actions} />
    </div>
  );
}
