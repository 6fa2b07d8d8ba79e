// What the labeling page shows: the current suggester's suggestion for each turn of a thread.
// Read only — suggestions are computed in the background (compute.ts), never in a page request.
import type { Actor } from '../auth/session';
import { db } from '../db';
import type { LabelValueName } from '../labeling/label-values';
import { CURRENT_SUGGESTER_MODEL_SQL } from './suggester-sql';

export interface TurnSuggestionView {
  messageId: number;
  model: string;
  /** "advisor" (a promotion) or "fine-tune" (the newest fine-tune, before any promotion). */
  by: 'advisor' | 'fine-tune';
  value: LabelValueName;
  /** The model's probability for its answer; null when the provider gives no logprobs. */
  confidence: number | null;
}

/** Suggestions by message id for one conversation (every signed-in reviewer may read them, like the thread). */
export async function suggestionsForConversation(_actor: Actor, conversationId: number): Promise<Record<number, TurnSuggestionView>> {
  const rows = await db().$queryRawUnsafe<
    { message_id: number; model: string; promotion_id: number | null; value: LabelValueName; confidence: number | null }[]
  >(
    `SELECT ts.message_id, ts.model, ts.promotion_id, ts.value::text AS value, ts.confidence
     FROM turn_suggestions ts
     WHERE ts.conversation_id = $1 AND ts.model = ${CURRENT_SUGGESTER_MODEL_SQL} AND ts.value IS NOT NULL`,
    conversationId,
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.message_id,
      { messageId: r.message_id, model: r.model, by: r.promotion_id === null ? 'fine-tune' : 'advisor', value: r.value, confidence: r.confidence },
    ]),
  );
}
