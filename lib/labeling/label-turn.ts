// The label write path: one reviewer sets (or clears) their label on one recruiter turn.
import { z } from 'zod';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { refreshConversationStats } from '../conversations/stats';
import { labelValueSchema, type LabelValueName } from './label-values';

export const labelTurnInput = z.object({
  messageId: z.number().int().positive(),
  // null clears the reviewer's label on that turn.
  value: labelValueSchema.nullable(),
});
export type LabelTurnInput = z.infer<typeof labelTurnInput>;

export class LabelRuleError extends Error {
  constructor(message: string) {
    super(message);
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
    const target = await tx.$queryRaw<{ conversation_id: number; sender: string }[]>`
      SELECT m.conversation_id, m.sender::text AS sender
      FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.id = ${input.messageId}
      FOR UPDATE OF c`;
    if (target.length === 0) throw new LabelRuleError(`Message ${input.messageId} does not exist.`);
    const { conversation_id: conversationId, sender } = target[0];
    if (sender !== 'recruiter') {
      throw new LabelRuleError('Only recruiter turns can be labeled; this is a candidate message.');
    }
    const existing = await tx.label.findUnique({
      where: { messageId_reviewerId: { messageId: input.messageId, reviewerId: actor.id } },
      select: { value: true },
    });
    const from = existing?.value ?? null;
    if (from === input.value) return { messageId: input.messageId, conversationId, value: from, changed: false };
    if (input.value === null) {
      await tx.label.delete({ where: { messageId_reviewerId: { messageId: input.messageId, reviewerId: actor.id } } });
    } else {
      await tx.label.upsert({
        where: { messageId_reviewerId: { messageId: input.messageId, reviewerId: actor.id } },
        create: { messageId: input.messageId, conversationId, reviewerId: actor.id, value: input.value },
        update: { value: input.value },
      });
    }
    await tx.labelEvent.create({
      data: { messageId: input.messageId, conversationId, reviewerId: actor.id, fromValue: from, toValue: input.value, source: 'ui' },
    });
    await refreshConversationStats(tx, [conversationId]);
    return { messageId: input.messageId, conversationId, value: input.value, changed: true };
  });
}
