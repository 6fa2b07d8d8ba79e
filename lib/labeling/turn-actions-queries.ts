// What the conversation page shows beside the labels: the actor's skips, everyone's flags,
// and the team's comments. (Sequence notices are computed in the browser from the labels it
// shows, with lib/labeling/sequence-checks.ts, so they follow every keypress.)
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import type { Actor } from '../auth/session';
import type { ConversationThread } from '../conversations/get-conversation';
import { commentsOfConversation, type TurnComment } from './comments';
import { assertLabelingRole } from './turn-actions-rules';
import type { TurnFlagReasonName } from './turn-actions-flag-reasons';

export interface TurnFlagView {
  reviewerId: string;
  reviewerName: string;
  reason: TurnFlagReasonName;
  mine: boolean;
}

export interface TurnActionsState {
  /** Turns the actor skipped. */
  skipped: number[];
  flags: Record<number, TurnFlagView[]>;
  comments: TurnComment[];
}

export async function turnActionsState(actor: Actor, thread: ConversationThread): Promise<TurnActionsState> {
  assertLabelingRole(actor);
  const [skips, flags, comments] = await Promise.all([
    db().turnSkip.findMany({ where: { conversationId: thread.id, reviewerId: actor.id }, select: { messageId: true } }),
    db().turnFlag.findMany({
      where: { conversationId: thread.id },
      orderBy: { createdAt: 'asc' },
      select: { messageId: true, reviewerId: true, reason: true, reviewer: { select: { name: true } } },
    }),
    commentsOfConversation(actor, thread.id),
  ]);
  const byTurn: Record<number, TurnFlagView[]> = {};
  for (const f of flags) {
    (byTurn[f.messageId] ??= []).push({ reviewerId: f.reviewerId, reviewerName: f.reviewer.name, reason: f.reason, mine: f.reviewerId === actor.id });
  }
  return { skipped: skips.map((s) => s.messageId), flags: byTurn, comments };
}

/**
 * SQL for how many decision turns of conversation `conversationId` (an SQL expression) the
 * reviewer skipped without labeling them: a skipped turn no longer needs that reviewer, so a
 * work queue compares `recruiter_turns` with their `labeled_turns` plus this.
 */
export function skippedOpenTurnsSql(conversationId: Prisma.Sql, reviewerId: string): Prisma.Sql {
  return Prisma.sql`(SELECT count(*) FROM turn_skips s JOIN messages m ON m.id = s.message_id
     WHERE s.conversation_id = ${conversationId} AND s.reviewer_id = ${reviewerId} AND m.position > 0
       AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = s.message_id AND l.reviewer_id = ${reviewerId}))`;
}
