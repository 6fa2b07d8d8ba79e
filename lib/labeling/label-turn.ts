// The label write path: one reviewer sets (or clears) their label on one recruiter turn.
import { z } from 'zod';
import { db } from '../db';
import { InputError } from '../errors';
import type { Actor } from '../auth/session';
import { refreshConversationStats } from '../conversations/stats';
import { labelValueSchema, type LabelValueName } from './label-values';

export const labelTurnInput = z.object({
  messageId: z.number().int().positive(),
  // null clears the reviewer's label on that turn.
  value: labelValueSchema.nullable(),
});
export type LabelTurnInput = z.infer<typeof labelTurnInput>;

/** Where a reviewer's change came from, as label history records it. */
export type LabelSource = 'ui' | 'suggestion';
const labelSourceSchema = z.enum(['ui', 'suggestion']);

/** A label the rules do not allow (no such message, not a recruiter turn): final, not retried. */
export class LabelRuleError extends InputError {
  constructor(message: string) {
    super([{ field: 'messageId', message }], message);
    this.name = 'LabelRuleError';
  }
}

export interface LabelTurnResult {
  messageId: number;
  conversationId: number;
  value: LabelValueName | null;
  changed: boolean;
}

/**
 * Sets the actor's label on a recruiter message and records the change in label history:
 * exactly one history row per real change, whose `from_value` is the value it replaced, and
 * `changed` is true exactly when that row was written — however many tabs write at once.
 */
export async function labelTurn(actor: Actor, rawInput: unknown, source: LabelSource = 'ui'): Promise<LabelTurnResult> {
  const input = labelTurnInput.parse(rawInput);
  const from = labelSourceSchema.parse(source);
  return db().$transaction(
    async (tx) => {
      // Lock order (./lock-order.ts): the conversation row first, alone in its statement.
      // It serialises every writer of this conversation — other tabs, other reviewers,
      // imports — so the counters recomputed below always see every committed label.
      const locked = await tx.$queryRaw<{ id: number; is_golden: boolean }[]>`
        SELECT c.id, c.is_golden FROM conversations c WHERE c.id = (SELECT m.conversation_id FROM messages m WHERE m.id = ${input.messageId})
        FOR UPDATE`;
      if (locked.length === 0) throw new LabelRuleError(`Message ${input.messageId} does not exist.`);
      const conversationId = locked[0].id;
      if (locked[0].is_golden) {
        throw new LabelRuleError('This is a hand-written golden conversation: its labels are fixed by the golden set and cannot be changed here.');
      }
      // Read after the lock, in a new statement, so this sees the last committed write
      // (the statement above may have waited for it, and reads from before the wait).
      const target = await tx.$queryRaw<{ sender: string; current: LabelValueName | null }[]>`
        SELECT m.sender::text AS sender,
               (SELECT l.value::text FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = ${actor.id}) AS current
        FROM messages m WHERE m.id = ${input.messageId}`;
      // A re-import may have removed the message while we waited for its conversation.
      if (target.length === 0) throw new LabelRuleError(`Message ${input.messageId} does not exist any more: its conversation was re-imported.`);
      const { sender, current } = target[0];
      if (sender !== 'recruiter') {
        throw new LabelRuleError('Only recruiter turns can be labeled; this is a candidate message.');
      }
      const unchanged = { messageId: input.messageId, conversationId, value: current, changed: false };
      if (current === input.value) return unchanged;
      // The label and its history row are written by one statement, and the row's
      // from_value is the value that statement replaced: neither exists without the other.
      const written =
        input.value === null
          ? await tx.$executeRaw`
              WITH gone AS (DELETE FROM labels WHERE message_id = ${input.messageId} AND reviewer_id = ${actor.id} RETURNING value)
              INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
              SELECT ${input.messageId}, ${conversationId}, ${actor.id}, gone.value, NULL, ${from} FROM gone`
          : await tx.$executeRaw`
              WITH old AS (SELECT value FROM labels WHERE message_id = ${input.messageId} AND reviewer_id = ${actor.id}),
              put AS (
                INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
                VALUES (${input.messageId}, ${conversationId}, ${actor.id}, ${input.value}::"LabelValue", now())
                ON CONFLICT (message_id, reviewer_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
                  WHERE labels.value IS DISTINCT FROM EXCLUDED.value
                RETURNING 1
              )
              INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
              SELECT ${input.messageId}, ${conversationId}, ${actor.id}, (SELECT value FROM old), ${input.value}::"LabelValue", ${from} FROM put`;
      if (written === 0) return unchanged;
      await refreshConversationStats(tx, [conversationId]);
      return { messageId: input.messageId, conversationId, value: input.value, changed: true };
    },
    // A save may queue behind an import that holds its conversation (a few seconds for a
    // large re-import); the defaults (2 s to get a connection, 5 s in all) would turn
    // that wait into an error for the reviewer.
    { maxWait: 15_000, timeout: 30_000 },
  );
}
