// Undo: takes back the reviewer's own last change in a conversation — a label set, changed or
// cleared, a skip or a flag — by writing the value it replaced, as a new history row with
// source "undo" (history is append-only; the undone row is marked, never removed).
//
// "Last" is by turn_change_seq, which every such change takes after its conversation's lock,
// so it is the order the changes committed in — also when they came from two tabs at once.
// Undo takes the same lock and reads after it, so it undoes what is committed, including a
// write that committed while it waited. Pressed again, it walks further back: the undone
// change and the undo's own row are both passed over. Imports, and other people's changes,
// are nobody's undo.
import { z } from 'zod';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { refreshConversationStats } from '../conversations/stats';
import { writeLabelInLockedTurn } from './label-turn';
import { labelValueSchema, type LabelValueName } from './label-values';
import { writeFlagInLockedTurn, writeSkipInLockedTurn } from './turn-actions';
import { turnFlagReasonSchema, type TurnFlagReasonName } from './turn-actions-flag-reasons';
import { assertLabelingRole, lockConversation, TURN_WRITE_TRANSACTION } from './turn-actions-rules';

export const undoLastChangeInput = z.object({ conversationId: z.number().int().positive() });

export type UndoResult =
  | { undone: false; conversationId: number }
  | { undone: true; conversationId: number; messageId: number; kind: 'label'; from: LabelValueName | null; to: LabelValueName | null }
  | { undone: true; conversationId: number; messageId: number; kind: 'skip'; from: boolean; to: boolean }
  | { undone: true; conversationId: number; messageId: number; kind: 'flag'; from: TurnFlagReasonName | null; to: TurnFlagReasonName | null };

interface LastChange {
  kind: 'label' | 'skip' | 'flag';
  id: bigint;
  message_id: number;
  from_value: string | null;
  to_value: string | null;
}

export async function undoLastChange(actor: Actor, rawInput: unknown): Promise<UndoResult> {
  assertLabelingRole(actor);
  const { conversationId } = undoLastChangeInput.parse(rawInput);
  return db().$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    // After the lock, in its own statement (./lock-order.ts): sees every committed change.
    const [last] = await tx.$queryRaw<LastChange[]>`
      SELECT kind, id, message_id, from_value, to_value FROM (
        (SELECT 'label' AS kind, e.id, e.message_id, e.from_value::text AS from_value, e.to_value::text AS to_value, e.change_seq
           FROM label_events e
          WHERE e.conversation_id = ${conversationId} AND e.reviewer_id = ${actor.id} AND e.change_seq IS NOT NULL
            AND e.undone_at IS NULL AND e.source <> 'undo' AND EXISTS (SELECT 1 FROM messages m WHERE m.id = e.message_id)
          ORDER BY e.change_seq DESC LIMIT 1)
        UNION ALL
        (SELECT e.kind, e.id, e.message_id, e.from_value, e.to_value, e.change_seq
           FROM turn_mark_events e
          WHERE e.conversation_id = ${conversationId} AND e.reviewer_id = ${actor.id} AND e.change_seq IS NOT NULL
            AND e.undone_at IS NULL AND e.source <> 'undo' AND EXISTS (SELECT 1 FROM messages m WHERE m.id = e.message_id)
          ORDER BY e.change_seq DESC LIMIT 1)
      ) last ORDER BY change_seq DESC LIMIT 1`;
    if (!last) return { undone: false, conversationId };
    const w = { messageId: last.message_id, conversationId, reviewerId: actor.id, source: 'undo' as const };
    if (last.kind === 'label') {
      const from = labelValueSchema.nullable().parse(last.to_value);
      const to = labelValueSchema.nullable().parse(last.from_value);
      await writeLabelInLockedTurn(tx, { ...w, value: to });
      await tx.$executeRaw`UPDATE label_events SET undone_at = clock_timestamp() WHERE id = ${last.id}`;
      await refreshConversationStats(tx, [conversationId]);
      return { undone: true, conversationId, messageId: last.message_id, kind: 'label', from, to };
    }
    await tx.$executeRaw`UPDATE turn_mark_events SET undone_at = clock_timestamp() WHERE id = ${last.id}`;
    if (last.kind === 'skip') {
      const to = last.from_value === 'skipped';
      await writeSkipInLockedTurn(tx, { ...w, skipped: to });
      return { undone: true, conversationId, messageId: last.message_id, kind: 'skip', from: !to, to };
    }
    const from = turnFlagReasonSchema.nullable().parse(last.to_value);
    const to = turnFlagReasonSchema.nullable().parse(last.from_value);
    await writeFlagInLockedTurn(tx, { ...w, reason: to });
    return { undone: true, conversationId, messageId: last.message_id, kind: 'flag', from, to };
  }, TURN_WRITE_TRANSACTION);
}
