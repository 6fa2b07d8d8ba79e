// The label write path: one reviewer sets (or clears) their label on one recruiter turn.
import { z } from 'zod';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../auth/session';
import { STATS_REFRESH_STATEMENTS } from '../conversations/stats';
import { labelValueSchema, type LabelValueName } from './label-values';
import { assertLabelingRole, assertMayWriteAs, turnRefusal, type TurnRefusal } from './turn-actions-rules';

export { LabelRuleError } from './turn-actions-rules';

export const labelTurnInput = z.object({
  messageId: z.number().int().positive(),
  // null clears the reviewer's label on that turn.
  value: labelValueSchema.nullable(),
});
export type LabelTurnInput = z.infer<typeof labelTurnInput>;

/**
 * Where a label change came from, as label_events.source records it. "import" rows are
 * written by the importer's SQL and "undo" rows by lib/labeling/undo.ts; labelTurn writes
 * the other three. The source is a parameter of the call, never part of the user's input,
 * so no browser can claim that its label is an adjudication.
 */
export const LABEL_SOURCES = ['ui', 'import', 'suggestion', 'adjudication', 'undo'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];
export type LabelTurnSource = Extract<LabelSource, 'ui' | 'suggestion' | 'adjudication'>;

export interface LabelTurnResult {
  messageId: number;
  conversationId: number;
  value: LabelValueName | null;
  changed: boolean;
}

/**
 * Writes the reviewer's label on a turn whose conversation the transaction has locked, with
 * its history row: one statement writes both, and the row's from_value is the value that
 * statement replaced, so neither exists without the other. Returns whether anything changed.
 * The history row takes the next turn_change_seq (the order undo walks back) and the clock
 * time after the lock, so history reads in the order the writes committed. Undo writes through
 * this; labelTurn through the SQL function label_turn_write, whose write is the same two
 * statements (turn-actions.test.ts checks both keep one true history chain together).
 */
export async function writeLabelInLockedTurn(
  tx: Prisma.TransactionClient,
  w: { messageId: number; conversationId: number; reviewerId: string; value: LabelValueName | null; source: LabelSource },
): Promise<boolean> {
  const written =
    w.value === null
      ? await tx.$executeRaw`
          WITH gone AS (DELETE FROM labels WHERE message_id = ${w.messageId} AND reviewer_id = ${w.reviewerId} RETURNING value)
          INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source, change_seq, created_at)
          SELECT ${w.messageId}, ${w.conversationId}, ${w.reviewerId}, gone.value, NULL, ${w.source}, nextval('turn_change_seq'), clock_timestamp() FROM gone`
      : await tx.$executeRaw`
          WITH old AS (SELECT value FROM labels WHERE message_id = ${w.messageId} AND reviewer_id = ${w.reviewerId}),
          put AS (
            INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
            VALUES (${w.messageId}, ${w.conversationId}, ${w.reviewerId}, ${w.value}::"LabelValue", now())
            ON CONFLICT (message_id, reviewer_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
              WHERE labels.value IS DISTINCT FROM EXCLUDED.value
            RETURNING 1
          )
          INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source, change_seq, created_at)
          SELECT ${w.messageId}, ${w.conversationId}, ${w.reviewerId}, (SELECT value FROM old), ${w.value}::"LabelValue", ${w.source},
                 nextval('turn_change_seq'), clock_timestamp() FROM put`;
  return written > 0;
}

/**
 * Sets the actor's label on a recruiter message and records the change in label history:
 * exactly one history row per real change, whose `from_value` is the value it replaced, and
 * `changed` is true exactly when that row was written — however many tabs write at once.
 * `source` says where the label came from (default "ui"): an accepted model suggestion, or an
 * ML lead's adjudication (which needs that role).
 *
 * One round trip: label_turn_write (migration label_turn_function) locks the conversation,
 * reads the turn after the lock, writes label and history as writeLabelInLockedTurn does, and
 * runs the counter statements of lib/conversations/stats.ts — one statement each, in one
 * implicit transaction. As an interactive transaction the same steps cost ten round trips,
 * which on a loaded machine were most of the write's time.
 */
export async function labelTurn(actor: Actor, rawInput: unknown, opts: { source?: LabelTurnSource } = {}): Promise<LabelTurnResult> {
  const source = opts.source ?? 'ui';
  assertLabelingRole(actor);
  assertMayWriteAs(actor, source);
  const input = labelTurnInput.parse(rawInput);
  const [r] = await db().$queryRaw<{ outcome: 'ok' | TurnRefusal; conv_id: number | null; stored_value: LabelValueName | null; was_changed: boolean }[]>`
    SELECT outcome, conv_id, stored_value, was_changed
    FROM label_turn_write(${input.messageId}::int, ${actor.id}::text, ${input.value}::"LabelValue", ${source}::text, ${STATS_REFRESH_STATEMENTS}::text[])`;
  if (r.outcome !== 'ok') throw turnRefusal(r.outcome, input.messageId, 'labeled');
  return { messageId: input.messageId, conversationId: r.conv_id!, value: r.stored_value, changed: r.was_changed };
}
