// Making a model the advisor. A promotion copies everything serving needs from the dataset
// version the model was trained on (system prompt, transcript context), so the API renders
// exactly what training saw. The newest promotion is the advisor; a rollback is a new
// promotion copying an earlier one, so the history is never rewritten.
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { DEFAULT_PARAMS, datasetParamsSchema } from '../datasets/params';
import { InputError, NotFoundError } from '../errors';
import { providerIdSchema, type ProviderId } from '../finetunes/provider-ids';
import { assertSignedIn } from '../evals/queries';
import { DEFAULT_THRESHOLD, defaultTimeoutMs } from './settings';

export const promoteInputSchema = z.object({
  model: z.string({ error: 'model is required' }).trim().min(1, 'model is required').max(200, 'model must be at most 200 characters'),
  provider: providerIdSchema.optional(),
  threshold: z.coerce
    .number({ error: 'the threshold must be a number between 0 and 1' })
    .min(0, 'the threshold must be between 0 and 1')
    .max(1, 'the threshold must be between 0 and 1')
    .default(DEFAULT_THRESHOLD),
  timeoutMs: z.coerce
    .number({ error: 'the timeout must be a whole number of milliseconds' })
    .int('the timeout must be a whole number of milliseconds')
    .min(100, 'the timeout must be at least 100 ms')
    .max(60_000, 'the timeout must be at most 60,000 ms')
    .optional(),
  note: z.string().trim().max(500, 'the note must be at most 500 characters').optional(),
});
export type PromoteInput = z.input<typeof promoteInputSchema>;

/** 'all' or the last N messages before the turn. */
export const contextSchema = datasetParamsSchema.shape.context;
export type TranscriptContext = z.infer<typeof contextSchema>;

export interface ServingPromotion {
  id: number;
  model: string;
  provider: ProviderId;
  threshold: number;
  timeoutMs: number;
  instructions: string;
  context: TranscriptContext;
}

/** What serving needs for `model`: from its fine-tune's dataset version, or the defaults for a base model. */
export async function servingParams(model: string, provider: ProviderId | undefined) {
  const job = await db().fineTuneJob.findFirst({
    where: { fineTunedModel: model, status: 'succeeded', ...(provider ? { provider } : {}) },
    orderBy: { id: 'desc' },
    select: { id: true, provider: true, datasetVersionId: true, datasetVersion: { select: { params: true } } },
  });
  if (job) {
    const params = datasetParamsSchema.safeParse(job.datasetVersion.params);
    if (!params.success)
      throw new InputError([
        { field: 'model', message: `dataset version #${job.datasetVersionId} has unreadable parameters; cannot tell how ${model} was trained` },
      ]);
    return {
      provider: providerIdSchema.parse(job.provider),
      instructions: params.data.instructions,
      context: params.data.context,
      datasetVersionId: job.datasetVersionId,
      fineTuneJobId: job.id,
    };
  }
  const other = await db().fineTuneJob.findFirst({ where: { fineTunedModel: model, status: 'succeeded' }, select: { provider: true } });
  if (other) throw InputError.of('provider', `${model} was fine-tuned on ${other.provider}, not ${provider}`);
  // A base model (or one trained elsewhere): the Studio's default prompt and transcript.
  return {
    provider: provider ?? 'local',
    instructions: DEFAULT_PARAMS.instructions,
    context: DEFAULT_PARAMS.context,
    datasetVersionId: null,
    fineTuneJobId: null,
  };
}

export async function promoteModel(actor: Actor, input: PromoteInput) {
  assertRole(actor, 'ml_lead', 'admin');
  const parsed = promoteInputSchema.safeParse(input);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const { model, provider, threshold, timeoutMs, note } = parsed.data;
  const serving = await servingParams(model, provider);
  return db().advisorPromotion.create({
    data: {
      model,
      provider: serving.provider,
      threshold,
      timeoutMs: timeoutMs ?? defaultTimeoutMs(),
      instructions: serving.instructions,
      context: serving.context,
      datasetVersionId: serving.datasetVersionId,
      fineTuneJobId: serving.fineTuneJobId,
      note: note || null,
      promotedById: actor.id,
    },
  });
}

/** Makes an earlier promotion the advisor again: a new promotion with its settings. */
export async function rollbackToPromotion(actor: Actor, promotionId: number, note?: string) {
  assertRole(actor, 'ml_lead', 'admin');
  const earlier = await db().advisorPromotion.findUnique({ where: { id: promotionId } });
  if (!earlier) throw new NotFoundError(`There is no promotion #${promotionId}.`);
  return db().advisorPromotion.create({
    data: {
      model: earlier.model,
      provider: earlier.provider,
      threshold: earlier.threshold,
      timeoutMs: earlier.timeoutMs,
      instructions: earlier.instructions,
      context: earlier.context as TranscriptContext,
      datasetVersionId: earlier.datasetVersionId,
      fineTuneJobId: earlier.fineTuneJobId,
      copiedFromId: earlier.id,
      note: note?.trim() || `Rollback to promotion #${earlier.id}`,
      promotedById: actor.id,
    },
  });
}

export function toServing(row: {
  id: number;
  model: string;
  provider: string;
  threshold: number;
  timeoutMs: number;
  instructions: string;
  context: unknown;
}): ServingPromotion {
  return {
    id: row.id,
    model: row.model,
    provider: providerIdSchema.parse(row.provider),
    threshold: row.threshold,
    timeoutMs: row.timeoutMs,
    instructions: row.instructions,
    context: contextSchema.parse(row.context),
  };
}

/** The advisor now (the newest promotion), or null when none was ever promoted. */
export async function currentPromotion() {
  return db().advisorPromotion.findFirst({ orderBy: { id: 'desc' }, include: { promotedBy: { select: { email: true, name: true } } } });
}

export const PROMOTIONS_PAGE_SIZE = 20;

/** Newest first, keyset by id. */
export async function listPromotions(actor: Actor | null, opts: { before?: number } = {}) {
  assertSignedIn(actor);
  const rows = await db().advisorPromotion.findMany({
    where: opts.before ? { id: { lt: opts.before } } : {},
    orderBy: { id: 'desc' },
    take: PROMOTIONS_PAGE_SIZE + 1,
    include: { promotedBy: { select: { email: true } } },
  });
  return { rows: rows.slice(0, PROMOTIONS_PAGE_SIZE), nextBefore: rows.length > PROMOTIONS_PAGE_SIZE ? rows[PROMOTIONS_PAGE_SIZE - 1].id : null };
}
