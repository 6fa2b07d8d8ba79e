// One conversation as the labeling page needs it: the thread, every reviewer's labels,
// and which label the current reviewer gave each recruiter turn.
import { readTotals, reviewerTotalKey, TOTAL_TURNS_KEY } from './progress-totals';
import { db } from '../db';
import type { Actor } from '../auth/session';
import type { LabelValueName } from '../labeling/label-values';
import { labelsBlindFor } from '../labeling/blind';
import { getLabelingSettings } from '../labeling/settings';

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
  /** Empty while `othersHidden`: blind labeling keeps them on the server. */
  otherLabels: ThreadLabel[];
  /** Blind labeling: others' labels on this turn are shown once the actor has labeled it. */
  othersHidden: boolean;
  /** Others gave this turn the project's reviewers-per-turn labels already: it does not need the actor. */
  covered: boolean;
}

export interface ConversationThread {
  id: number;
  externalId: string;
  candidateName: string | null;
  jobTitle: string | null;
  lastActivityAt: string;
  /** A hand-written golden conversation: its labels are fixed, shown, never edited here. */
  isGolden: boolean;
  /** Reviewers per turn (the project's overlap setting). */
  reviewersPerTurn: number;
  /** Blind labeling applies to the actor on this conversation. */
  blind: boolean;
  messages: ThreadMessage[];
}

/** Whether the conversation exists (every signed-in reviewer may see every conversation). */
export async function conversationExists(_actor: Actor, conversationId: number): Promise<boolean> {
  return (await db().conversation.count({ where: { id: conversationId } })) > 0;
}

export async function getConversationThread(actor: Actor, conversationId: number): Promise<ConversationThread | null> {
  const settingsRead = getLabelingSettings();
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
  const settings = await settingsRead;
  // Golden labels are the answer key shown to everyone, never a reviewer's opinion.
  const blind = !conv.isGolden && labelsBlindFor(actor, settings);
  return {
    id: conv.id,
    externalId: conv.externalId,
    candidateName: conv.candidateName,
    jobTitle: conv.jobTitle,
    lastActivityAt: conv.lastActivityAt.toISOString(),
    isGolden: conv.isGolden,
    reviewersPerTurn: settings.reviewersPerTurn,
    blind,
    messages: conv.messages.map((m) => {
      const myLabel = m.labels.find((l) => l.reviewerId === actor.id)?.value ?? null;
      const others = m.labels.filter((l) => l.reviewerId !== actor.id);
      const othersHidden = blind && m.sender === 'recruiter' && myLabel === null;
      return {
        id: m.id,
        position: m.position,
        sender: m.sender,
        text: m.text,
        sentAt: m.sentAt?.toISOString() ?? null,
        myLabel,
        otherLabels: othersHidden
          ? []
          : others.map((l) => ({ reviewerId: l.reviewerId, reviewerName: l.reviewer.name, reviewerEmail: l.reviewer.email, value: l.value })),
        othersHidden,
        covered: others.length >= settings.reviewersPerTurn,
      };
    }),
  };
}

/**
 * How many recruiter turns need labels and how many the actor has labeled, across the Studio
 * (golden turns are labeled already). Read from the maintained totals (./progress-totals.ts),
 * not summed over every conversation on each page view.
 */
export async function overallProgress(actor: Actor): Promise<{ total: number; mine: number }> {
  const mineKey = reviewerTotalKey(actor.id);
  const totals = await readTotals([TOTAL_TURNS_KEY, mineKey]);
  return { total: totals.get(TOTAL_TURNS_KEY) ?? 0, mine: totals.get(mineKey) ?? 0 };
}
