// Writing a batch of eval predictions: one INSERT … SELECT FROM unnest(…) with one array per
// column, so a batch of 500 is 12 bind parameters, not Prisma createMany's 6,000, and the
// statement text is the same for every batch. Idempotent per example (the key is (run_id,
// ordinal)): a retried or resumed run skips what is stored.
import { db } from '../db';
import type { LabelValueName } from '../labeling/label-values';

export interface PredictionInput {
  runId: number;
  ordinal: number;
  conversationId: number;
  messageId: number;
  truth: LabelValueName;
  predicted: string;
  confidence: number | null;
  rawOutput: string | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  error: string | null;
}

/** Inserts the rows not stored yet; returns how many were new. */
export async function storePredictions(rows: PredictionInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof PredictionInput>(k: K) => rows.map((r) => r[k]);
  return db().$executeRaw`
    INSERT INTO eval_predictions (run_id, ordinal, conversation_id, message_id, truth, predicted, confidence, raw_output, latency_ms, prompt_tokens, completion_tokens, error)
    SELECT r, o, c, m, t::"LabelValue", p, conf, raw, lat, pt, ct, err
    FROM unnest(${col('runId')}::int[], ${col('ordinal')}::int[], ${col('conversationId')}::int[], ${col('messageId')}::int[], ${col('truth')}::text[],
                ${col('predicted')}::text[], ${col('confidence')}::float8[], ${col('rawOutput')}::text[], ${col('latencyMs')}::int[],
                ${col('promptTokens')}::int[], ${col('completionTokens')}::int[], ${col('error')}::text[])
         AS x(r, o, c, m, t, p, conf, raw, lat, pt, ct, err)
    ON CONFLICT (run_id, ordinal) DO NOTHING`;
}
