// One conversation as the labeling page needs it: the thread, every reviewer's labels,
// and which label the current reviewer gave each recruiter turn.
import { db } from '../db';
import type { Actor } from '../auth/session';
import type { LabelValueName } from '../labeling/label-values';
import { Prisma } from '../generated/prisma/client';
import { skippedOpenTurnsSql } from '../labeling/turn-actions-queries';

export interface ThreadLabel {
  reviewerId: string;
  reviewerName: string;
  reviewerEmail: string;
  value: LabelValueName;
}

export interface ThreadMessage {
  id: number;
  position: number;
  sender: 'recruiter' | 'candidate';
  text: string;
  sentAt: string | null;
  myLabel: LabelValueName | null;
  otherLabels: ThreadLabel[];
}

export interface ConversationThread {
  id: number;
  externalId: string;
  candidateName: string | null;
  jobTitle: string | null;
  lastActivityAt: string;
  /** A hand-written golden conversation: its labels are fixed, shown, never edited here. */
  isGolden: boolean;
  messages: ThreadMessage[];
}

/** Whether the conversation exists (every signed-in reviewer may see every conversation). */
export async function conversationExists(_actor: Actor, conversationId: number): Promise<boolean> {
  return (await db().conversation.count({ where: { id: conversationId } })) > 0;
}

export async function getConversationThread(actor: Actor, conversationId: number): Promise<ConversationThread | null> {
  const conv = await db().conversation.findUnique({
    where: { id: conversationId },
    select: {
      id: true,
      externalId: true,
      candidateName: true,
      jobTitle: true,
      lastActivityAt: true,
      isGolden: true,
      messages: {
        orderBy: { position: 'asc' },
        select: {
          id: true,
          position: true,
          sender: true,
          text: true,
          sentAt: true,
          labels: { select: { value: true, reviewerId: true, reviewer: { select: { name: true, email: true } } } },
        },
      },
    },
  });
  if (!conv) return null;
  return {
    id: conv.id,
    externalId: conv.externalId,
    candidateName: conv.candidateName,
    jobTitle: conv.jobTitle,
    lastActivityAt: conv.lastActivityAt.toISOString(),
    isGolden: conv.isGolden,
    messages: conv.messages.map((m) => ({
      id: m.id,
      position: m.position,
      sender: m.sender,
      text: m.text,
      sentAt: m.sentAt?.toISOString() ?? null,
      myLabel: m.labels.find((l) => l.reviewerId === actor.id)?.value ?? null,
      otherLabels: m.labels
        .filter((l) => l.reviewerId !== actor.id)
        .map((l) => ({ reviewerId: l.reviewerId, reviewerName: l.reviewer.name, reviewerEmail: l.reviewer.email, value: l.value })),
    })),
  };
}

/**
 * The conversation after `currentId` (in list order: most recent activity first) that still
 * has recruiter turns without the actor's label or skip; wraps around to the top of the list.
 */
export async function nextConversationForReviewer(actor: Actor, currentId: number | null): Promise<number | null> {
  const prisma = db();
  const needsMe = (afterClause: boolean) => prisma.$queryRaw<{ id: number }[]>`
    SELECT c.id FROM conversations c
    LEFT JOIN conversation_reviewers r ON r.conversation_id = c.id AND r.reviewer_id = ${actor.id}
    WHERE c.recruiter_turns > coalesce(r.labeled_turns, 0) + ${skippedOpenTurnsSql(Prisma.sql`c.id`, actor.id)}
      AND NOT c.is_golden
      AND c.id <> ${currentId ?? -1}
      AND (${!afterClause} OR (c.last_activity_at, c.id) < (SELECT last_activity_at, id FROM conversations WHERE id = ${currentId ?? -1}))
    ORDER BY c.last_activity_at DESC, c.id DESC
    LIMIT 1`;
  const after = currentId ? await needsMe(true) : [];
  if (after[0]) return after[0].id;
  const wrapped = await needsMe(false);
  return wrapped[0]?.id ?? null;
}

/** How many recruiter turns need labels and how many the actor has labeled, across the Studio (golden turns are labeled already). */
export async function overallProgress(actor: Actor): Promise<{ total: number; mine: number }> {
  const [row] = await db().$queryRaw<{ total: bigint | null; mine: bigint | null }[]>`
    SELECT (SELECT sum(recruiter_turns) FROM conversations WHERE NOT is_golden) AS total,
           (SELECT sum(labeled_turns) FROM conversation_reviewers WHERE reviewer_id = ${actor.id}) AS mine`;
  return { total: Number(row?.total ?? 0), mine: Number(row?.mine ?? 0) };
}
