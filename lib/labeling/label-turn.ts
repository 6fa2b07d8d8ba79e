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

/** Sets the actor's label on a recruiter message and records the change in label history. */
export async function labelTurn(actor: Actor, rawInput: unknown): Promise<LabelTurnResult> {
  const input = labelTurnInput.parse(rawInput);
  return db().$transaction(async (tx) => {
    // Locking the conversation row serialises concurrent writers on one conversation, so
    // the counters recomputed below always see every committed label.
    const target = await tx.$queryRaw<{ conversation_id: number; sender: string; is_golden: boolean; current: LabelValueName | null }[]>`
      SELECT m.conversation_id, m.sender::text AS sender, c.is_golden,
             (SELECT l.value::text FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = ${actor.id}) AS current
      FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.id = ${input.messageId}
      FOR UPDATE OF c`;
    if (target.length === 0) throw new LabelRuleError(`Message ${input.messageId} does not exist.`);
    const { conversation_id: conversationId, sender, current: from } = target[0];
    if (target[0].is_golden) {
      throw new LabelRuleError('This is a hand-written golden conversation: its labels are fixed by the golden set and cannot be changed here.');
    }
    if (sender !== 'recruiter') {
      throw new LabelRuleError('Only recruiter turns can be labeled; this is a candidate message.');
    }
    if (from === input.value) return { messageId: input.messageId, conversationId, value: from, changed: false };
    // The label and its history entry are written by one statement: neither exists without the other.
    if (input.value === null) {
      await tx.$executeRaw`
        WITH gone AS (DELETE FROM labels WHERE message_id = ${input.messageId} AND reviewer_id = ${actor.id} RETURNING 1)
        INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
        SELECT ${input.messageId}, ${conversationId}, ${actor.id}, ${from}::"LabelValue", NULL, 'ui' FROM gone`;
    } else {
      await tx.$executeRaw`
        WITH put AS (
          INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
          VALUES (${input.messageId}, ${conversationId}, ${actor.id}, ${input.value}::"LabelValue", now())
          ON CONFLICT (message_id, reviewer_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
          RETURNING 1
        )
        INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
        SELECT ${input.messageId}, ${conversationId}, ${actor.id}, ${from}::"LabelValue", ${input.value}::"LabelValue", 'ui' FROM put`;
    }
    await refreshConversationStats(tx, [conversationId]);
    return { messageId: input.messageId, conversationId, value: input.value, changed: true };
  });
}
