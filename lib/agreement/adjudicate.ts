// An ML lead or admin sets the final label of a recruiter turn, with a note saying why. One
// row per turn (a later decision replaces it); every change of the final value is also a
// label_events row with source "adjudication", so the turn's history shows who decided what.
import { z } from 'zod';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { InputError, NotFoundError } from '../errors';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { assertCanAdjudicate } from './access';

export const NOTE_MAX = 1000;

export const adjudicateInputSchema = z.object({
  messageId: z.coerce.number({ error: 'messageId must be a message id' }).int('messageId must be a whole number').positive('messageId must be a message id'),
  value: z.enum(LABEL_VALUES, { error: `the final label must be one of ${LABEL_VALUES.join(', ')}` }),
  note: z
    .string({ error: 'write a note saying why this is the final label' })
    .trim()
    .min(1, 'write a note saying why this is the final label')
    .max(NOTE_MAX, `the note must be at most ${NOTE_MAX} characters`),
});
export type AdjudicateInput = z.input<typeof adjudicateInputSchema>;

/** The adjudication form's fields, as FormData gives them. */
export interface AdjudicateFormValues {
  messageId: string;
  value: string;
  note: string;
}

export interface AdjudicateResult {
  messageId: number;
  conversationId: number;
  value: LabelValueName;
  previous: LabelValueName | null;
  changed: boolean;
}

export async function adjudicateTurn(actor: Actor, rawInput: unknown): Promise<AdjudicateResult> {
  assertCanAdjudicate(actor);
  const parsed = adjudicateInputSchema.safeParse(rawInput);
  if (!parsed.success) throw InputError.ofZod(parsed.error, { topLevel: true, firstPerField: true });
  const input = parsed.data;
  return db().$transaction(
    async (tx) => {
      // Lock order (lib/labeling/lock-order.ts): the conversation row first, alone, so this
      // serialises with label writes and re-imports of the same conversation.
      const locked = await tx.$queryRaw<{ id: number; is_golden: boolean }[]>`
        SELECT c.id, c.is_golden FROM conversations c WHERE c.id = (SELECT m.conversation_id FROM messages m WHERE m.id = ${input.messageId})
        FOR UPDATE`;
      if (locked.length === 0) throw new NotFoundError(`Message ${input.messageId} does not exist.`);
      const conversationId = locked[0].id;
      if (locked[0].is_golden) throw InputError.of('messageId', 'This is a golden conversation: its labels are fixed by the golden set.');
      const [target] = await tx.$queryRaw<{ sender: string; position: number; labels: number; current: LabelValueName | null }[]>`
        SELECT m.sender::text AS sender, m.position,
               (SELECT count(*)::int FROM labels l WHERE l.message_id = m.id) AS labels,
               (SELECT a.value::text FROM adjudications a WHERE a.message_id = m.id) AS current
        FROM messages m WHERE m.id = ${input.messageId}`;
      if (!target) throw new NotFoundError(`Message ${input.messageId} does not exist any more: its conversation was re-imported.`);
      if (target.sender !== 'recruiter') throw InputError.of('messageId', 'Only recruiter turns have labels; this is a candidate message.');
      if (target.position === 0) throw InputError.of('messageId', 'This is the opening message: it is not a decision, so it needs no final label.');
      // Datasets resolve labeled turns only; a final label on a turn nobody labeled would never be used.
      if (target.labels === 0) throw InputError.of('messageId', 'Nobody has labeled this turn yet: there is nothing to adjudicate.');
      await tx.$executeRaw`
        INSERT INTO adjudications (message_id, conversation_id, value, note, adjudicated_by_id)
        VALUES (${input.messageId}, ${conversationId}, ${input.value}::"LabelValue", ${input.note}, ${actor.id})
        ON CONFLICT (message_id) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note,
          adjudicated_by_id = EXCLUDED.adjudicated_by_id, updated_at = now()`;
      const changed = target.current !== input.value;
      if (changed) {
        await tx.$executeRaw`
          INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
          VALUES (${input.messageId}, ${conversationId}, ${actor.id}, ${target.current}::"LabelValue", ${input.value}::"LabelValue", 'adjudication')`;
      }
      return { messageId: input.messageId, conversationId, value: input.value, previous: target.current, changed };
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}
