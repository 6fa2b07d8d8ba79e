// Who suggests labels: the advisor (the newest promotion, with the prompt and transcript context
// it serves with), or before any promotion the newest succeeded fine-tune, rendered with its
// dataset version's instructions and context — either way exactly what the model was trained on.
import { contextSchema, type TranscriptContext } from '../advisor/promotions';
import { db } from '../db';
import { datasetParamsSchema } from '../datasets/params';
import { z } from 'zod';
import { providerIdSchema, type ProviderId } from '../finetunes/provider-ids';

export interface Suggester {
  /** "promotion:<id>" or "fine-tune:<id>": a new key is a new suggester, whose backfill runs once. */
  key: string;
  model: string;
  provider: ProviderId;
  promotionId: number | null;
  fineTuneJobId: number | null;
  instructions: string;
  context: TranscriptContext;
}

// Only what rendering needs: a version stored with more parameters still renders as it trained.
const servingParamsSchema = z.object({ instructions: datasetParamsSchema.shape.instructions, context: contextSchema });

/** The current suggester, or null when there is neither a promotion nor a succeeded fine-tune. */
export async function currentSuggester(): Promise<Suggester | null> {
  const p = await db().advisorPromotion.findFirst({ orderBy: { id: 'desc' } });
  if (p) {
    return {
      key: `promotion:${p.id}`,
      model: p.model,
      provider: providerIdSchema.parse(p.provider),
      promotionId: p.id,
      fineTuneJobId: null,
      instructions: p.instructions,
      context: contextSchema.parse(p.context),
    };
  }
  // Same order as CURRENT_SUGGESTER_MODEL_SQL (suggester-sql.ts).
  const j = await db().fineTuneJob.findFirst({
    where: { status: 'succeeded', fineTunedModel: { not: null } },
    orderBy: [{ finishedAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
    select: { id: true, provider: true, fineTunedModel: true, datasetVersion: { select: { params: true } } },
  });
  if (!j?.fineTunedModel) return null;
  const params = servingParamsSchema.safeParse(j.datasetVersion.params);
  // A version whose parameters cannot be read cannot be rendered as it was trained: no suggestions.
  if (!params.success) return null;
  return {
    key: `fine-tune:${j.id}`,
    model: j.fineTunedModel,
    provider: providerIdSchema.parse(j.provider),
    promotionId: null,
    fineTuneJobId: j.id,
    instructions: params.data.instructions,
    context: params.data.context,
  };
}
