// The decision log. A decision and its conversation (for the live merge) are written in one
// statement before the answer goes out: one durable round trip, so no answered decision is
// ever missing from the log, and the merge into the Studio's tables happens after (live-ingest).
import type { LabelValueName } from '../labeling/label-values';
import type { ImportConversation } from '../imports/schema';
import { advisorPool } from './pool';

export interface DecisionRecord {
  apiKeyId: number | null;
  externalId: string;
  position: number;
  decision: LabelValueName | null;
  confidence: number | null;
  acted: boolean;
  threshold: number;
  model: string;
  promotionId: number;
  latencyMs: number;
  modelLatencyMs: number | null;
  fallbackReason: string | null;
  fallbackDetail: string | null;
  conversation: ImportConversation;
}

// "last used" is written at most once a minute: the key's row must not be rewritten per request.
const LOG_SQL = `
  WITH d AS (
    INSERT INTO advisor_decisions (api_key_id, external_id, position, decision, confidence, acted, threshold, model, promotion_id,
                                   latency_ms, model_latency_ms, fell_back, fallback_reason, fallback_detail)
    VALUES ($1, $2, $3, $4::"LabelValue", $5, $6, $7, $8, $9, $10, $11, $12::text IS NOT NULL, $12::text, $13::text)
    RETURNING id
  ), i AS (
    INSERT INTO live_conversation_inbox (decision_id, external_id, payload) SELECT id, $2, $14::jsonb FROM d
  ), k AS (
    UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
  )
  SELECT id FROM d`;

// Times as the importer stores them (new Date(s).toISOString(): UTC, milliseconds), so the live
// merge can tell an unchanged or merely grown conversation from the stored one by plain text
// comparison (live-ingest.ts). The importer gives the same rows for either form.
function storedPayload(c: ImportConversation): ImportConversation {
  return { ...c, messages: c.messages.map((m) => (m.sent_at ? { ...m, sent_at: new Date(m.sent_at).toISOString() } : m)) };
}

export async function logDecision(r: DecisionRecord): Promise<number> {
  const { rows } = await advisorPool().query<{ id: string }>(LOG_SQL, [
    r.apiKeyId,
    r.externalId,
    r.position,
    r.decision,
    r.confidence,
    r.acted,
    r.threshold,
    r.model,
    r.promotionId,
    r.latencyMs,
    r.modelLatencyMs,
    r.fallbackReason,
    r.fallbackDetail,
    JSON.stringify(storedPayload(r.conversation)),
  ]);
  return Number(rows[0].id);
}
