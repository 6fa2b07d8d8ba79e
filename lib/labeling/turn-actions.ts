// Skip and flag: a reviewer's marks on one recruiter turn, each with append-only history in
// turn_mark_events (kind "skip" or "flag") that undo walks back like label history.
import { z } from 'zod';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../auth/session';
import { assertLabelingRole, lockRecruiterTurn, TURN_WRITE_TRANSACTION } from './turn-actions-rules';
import { turnFlagReasonSchema, type TurnFlagReasonName } from './turn-actions-flag-reasons';

/** Where a skip or flag change came from, as turn_mark_events.source records it. */
export type TurnMarkSource = 'ui' | 'undo';

export const setTurnSkippedInput = z.object({ messageId: z.number().int().positive(), skipped: z.boolean() });
export const setTurnFlagInput = z.object({
  messageId: z.number().int().positive(),
  // null takes the reviewer's flag off the turn.
  reason: turnFlagReasonSchema.nullable(),
});

export interface TurnMarkResult {
  messageId: number;
  conversationId: number;
  changed: boolean;
}
export interface SkipResult extends TurnMarkResult {
  skipped: boolean;
}
export interface FlagResult extends TurnMarkResult {
  reason: TurnFlagReasonName | null;
}

interface MarkWrite {
  messageId: number;
  conversationId: number;
  reviewerId: string;
  source: TurnMarkSource;
}

/** Skips (or un-skips) a turn whose conversation is locked, with its history row in the same statement. */
export async function writeSkipInLockedTurn(tx: Prisma.TransactionClient, w: MarkWrite & { skipped: boolean }): Promise<boolean> {
  const n = w.skipped
    ? await tx.$executeRaw`
        WITH put AS (
          INSERT INTO turn_skips (message_id, conversation_id, reviewer_id) VALUES (${w.messageId}, ${w.conversationId}, ${w.reviewerId})
          ON CONFLICT DO NOTHING RETURNING 1
        )
        INSERT INTO turn_mark_events (message_id, conversation_id, reviewer_id, kind, from_value, to_value, source, change_seq, created_at)
        SELECT ${w.messageId}, ${w.conversationId}, ${w.reviewerId}, 'skip', NULL, 'skipped', ${w.source}, nextval('turn_change_seq'), clock_timestamp() FROM put`
    : await tx.$executeRaw`
        WITH gone AS (DELETE FROM turn_skips WHERE message_id = ${w.messageId} AND reviewer_id = ${w.reviewerId} RETURNING 1)
        INSERT INTO turn_mark_events (message_id, conversation_id, reviewer_id, kind, from_value, to_value, source, change_seq, created_at)
        SELECT ${w.messageId}, ${w.conversationId}, ${w.reviewerId}, 'skip', 'skipped', NULL, ${w.source}, nextval('turn_change_seq'), clock_timestamp() FROM gone`;
  return n > 0;
}

/** Sets (or removes, with null) the reviewer's flag on a locked turn, with its history row. */
export async function writeFlagInLockedTurn(tx: Prisma.TransactionClient, w: MarkWrite & { reason: TurnFlagReasonName | null }): Promise<boolean> {
  const n =
    w.reason === null
      ? await tx.$executeRaw`
          WITH gone AS (DELETE FROM turn_flags WHERE message_id = ${w.messageId} AND reviewer_id = ${w.reviewerId} RETURNING reason)
          INSERT INTO turn_mark_events (message_id, conversation_id, reviewer_id, kind, from_value, to_value, source, change_seq, created_at)
          SELECT ${w.messageId}, ${w.conversationId}, ${w.reviewerId}, 'flag', gone.reason::text, NULL, ${w.source}, nextval('turn_change_seq'), clock_timestamp() FROM gone`
      : await tx.$executeRaw`
          WITH old AS (SELECT reason FROM turn_flags WHERE message_id = ${w.messageId} AND reviewer_id = ${w.reviewerId}),
          put AS (
            INSERT INTO turn_flags (message_id, conversation_id, reviewer_id, reason, created_at)
            VALUES (${w.messageId}, ${w.conversationId}, ${w.reviewerId}, ${w.reason}::"TurnFlagReason", now())
            ON CONFLICT (message_id, reviewer_id) DO UPDATE SET reason = EXCLUDED.reason, created_at = now()
              WHERE turn_flags.reason IS DISTINCT FROM EXCLUDED.reason
            RETURNING 1
          )
          INSERT INTO turn_mark_events (message_id, conversation_id, reviewer_id, kind, from_value, to_value, source, change_seq, created_at)
          SELECT ${w.messageId}, ${w.conversationId}, ${w.reviewerId}, 'flag', (SELECT reason::text FROM old), ${w.reason}, ${w.source},
                 nextval('turn_change_seq'), clock_timestamp() FROM put`;
  return n > 0;
}

/**
 * Skips a turn for the actor (or takes the skip back): the turn no longer counts as needing
 * them, and stays open for everyone else. A skip does not touch labels.
 */
export async function setTurnSkipped(actor: Actor, rawInput: unknown): Promise<SkipResult> {
  assertLabelingRole(actor);
  const input = setTurnSkippedInput.parse(rawInput);
  return db().$transaction(async (tx) => {
    const { conversationId, current } = await lockRecruiterTurn(tx, input.messageId, actor.id, 'skipped');
    const base = { messageId: input.messageId, conversationId, skipped: input.skipped };
    if (current.skipped === input.skipped) return { ...base, changed: false };
    const changed = await writeSkipInLockedTurn(tx, { messageId: input.messageId, conversationId, reviewerId: actor.id, skipped: input.skipped, source: 'ui' });
    return { ...base, changed };
  }, TURN_WRITE_TRANSACTION);
}

/** Flags a turn for the ML lead with a reason (or takes the actor's flag off, with null). */
export async function setTurnFlag(actor: Actor, rawInput: unknown): Promise<FlagResult> {
  assertLabelingRole(actor);
  const input = setTurnFlagInput.parse(rawInput);
  return db().$transaction(async (tx) => {
    const { conversationId, current } = await lockRecruiterTurn(tx, input.messageId, actor.id, 'flagged');
    const base = { messageId: input.messageId, conversationId, reason: input.reason };
    if (current.flag === input.reason) return { ...base, changed: false };
    const changed = await writeFlagInLockedTurn(tx, { messageId: input.messageId, conversationId, reviewerId: actor.id, reason: input.reason, source: 'ui' });
    return { ...base, changed };
  }, TURN_WRITE_TRANSACTION);
}
