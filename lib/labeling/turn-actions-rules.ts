// What every write to one turn shares (labels, skips, flags, comments, undo): who may write,
// the lock that serialises writers of a conversation, and the rules a turn must meet.
import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../auth/session';
import { assertRole } from '../auth/session';
import { InputError } from '../errors';
import type { LabelValueName } from './label-values';
import type { TurnFlagReasonName } from './turn-actions-flag-reasons';

/** A write the rules do not allow (no such message, not a recruiter turn, golden): final, not retried. */
export class LabelRuleError extends InputError {
  constructor(message: string, field = 'messageId') {
    super([{ field, message }], message);
    this.name = 'LabelRuleError';
  }
}

/** Every signed-in role labels (reviewers, ML leads and admins); this is the one place that says so. */
export function assertLabelingRole(actor: Actor): void {
  assertRole(actor, 'reviewer', 'ml_lead', 'admin');
}

/** An adjudicated label is the final word on a turn: only an ML lead or an admin writes one. */
export function assertMayWriteAs(actor: Actor, source: string): void {
  if (source === 'adjudication') assertRole(actor, 'ml_lead', 'admin');
}

// A save may queue behind an import that holds its conversation (a few seconds for a large
// re-import); the defaults (2 s to get a connection, 5 s in all) would turn that wait into
// an error for the reviewer.
export const TURN_WRITE_TRANSACTION = { maxWait: 15_000, timeout: 30_000 };

export type TurnVerb = 'labeled' | 'skipped' | 'flagged' | 'commented on';
/** Why a turn cannot be written: the cases lockRecruiterTurn and label_turn_write (label-turn.ts) tell apart. */
export type TurnRefusal = 'missing' | 'golden' | 'gone' | 'candidate';

/** The one wording of each refusal, whichever write path found it. */
export function turnRefusal(why: TurnRefusal, messageId: number, verb: TurnVerb): LabelRuleError {
  switch (why) {
    case 'missing':
      return new LabelRuleError(`Message ${messageId} does not exist.`);
    case 'golden':
      return new LabelRuleError(
        verb === 'labeled'
          ? 'This is a hand-written golden conversation: its labels are fixed by the golden set and cannot be changed here.'
          : `This is a hand-written golden conversation: its turns cannot be ${verb} here.`,
      );
    // A re-import may have removed the message while the write waited for its conversation.
    case 'gone':
      return new LabelRuleError(`Message ${messageId} does not exist any more: its conversation was re-imported.`);
    case 'candidate':
      return new LabelRuleError(
        verb === 'labeled'
          ? 'Only recruiter turns can be labeled; this is a candidate message.'
          : `Only recruiter turns can be ${verb}; this is a candidate message.`,
      );
  }
}

export interface TurnState {
  label: LabelValueName | null;
  skipped: boolean;
  flag: TurnFlagReasonName | null;
}

/**
 * Locks the conversation of `messageId` (lock order, ./lock-order.ts: the conversation row
 * first, alone in its statement) and then, in a new statement, reads the turn and the
 * reviewer's label, skip and flag on it — after the lock, so they are the last committed
 * values (the locking statement may have waited for a writer, and reads from before it).
 */
export async function lockRecruiterTurn(
  tx: Prisma.TransactionClient,
  messageId: number,
  reviewerId: string,
  verb: TurnVerb,
): Promise<{ conversationId: number; current: TurnState }> {
  const locked = await tx.$queryRaw<{ id: number; is_golden: boolean }[]>`
    SELECT c.id, c.is_golden FROM conversations c WHERE c.id = (SELECT m.conversation_id FROM messages m WHERE m.id = ${messageId})
    FOR UPDATE`;
  if (locked.length === 0) throw turnRefusal('missing', messageId, verb);
  const conversationId = locked[0].id;
  if (locked[0].is_golden) throw turnRefusal('golden', messageId, verb);
  const target = await tx.$queryRaw<{ sender: string; label: LabelValueName | null; skipped: boolean; flag: TurnFlagReasonName | null }[]>`
    SELECT m.sender::text AS sender,
           (SELECT l.value::text FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = ${reviewerId}) AS label,
           EXISTS (SELECT 1 FROM turn_skips s WHERE s.message_id = m.id AND s.reviewer_id = ${reviewerId}) AS skipped,
           (SELECT f.reason::text FROM turn_flags f WHERE f.message_id = m.id AND f.reviewer_id = ${reviewerId}) AS flag
    FROM messages m WHERE m.id = ${messageId}`;
  if (target.length === 0) throw turnRefusal('gone', messageId, verb);
  const { sender, label, skipped, flag } = target[0];
  if (sender !== 'recruiter') throw turnRefusal('candidate', messageId, verb);
  return { conversationId, current: { label, skipped, flag } };
}

/** Locks one conversation for a write that names the conversation rather than a turn (undo). */
export async function lockConversation(tx: Prisma.TransactionClient, conversationId: number): Promise<void> {
  const locked = await tx.$queryRaw<{ id: number; is_golden: boolean }[]>`SELECT id, is_golden FROM conversations WHERE id = ${conversationId} FOR UPDATE`;
  if (locked.length === 0) throw new LabelRuleError(`Conversation ${conversationId} does not exist.`, 'conversationId');
  if (locked[0].is_golden) throw new LabelRuleError('This is a hand-written golden conversation: nothing in it can be changed here.', 'conversationId');
}
