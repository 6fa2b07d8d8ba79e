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

// One function call (prisma/migrations/20261203010000_decision_functions), planned once per
// connection by the server: the decision, its inbox row and the key's "last used" (at most once
// a minute: the key's row must not be rewritten per request). Null when the conversation is one
// of the golden set, which live traffic may never change: then nothing is written.
const LOG_SQL = 'SELECT advisor_log_decision($1, $2, $3, $4::"LabelValue", $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb) AS id';

// Times as the importer stores them (new Date(s).toISOString(): UTC, milliseconds), so the live
// merge can tell an unchanged or merely grown conversation from the stored one by plain text
// comparison (live-ingest.ts). The importer gives the same rows for either form.
function storedPayload(c: ImportConversation): ImportConversation {
  return { ...c, messages: c.messages.map((m) => (m.sent_at ? { ...m, sent_at: new Date(m.sent_at).toISOString() } : m)) };
}

/** The decision's id, or null (nothing written) when its conversation is a golden one. */
export async function logDecision(r: DecisionRecord): Promise<number | null> {
  const { rows } = await advisorPool().query<{ id: string | null }>(LOG_SQL, [
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
  return rows[0].id === null ? null : Number(rows[0].id);
}
