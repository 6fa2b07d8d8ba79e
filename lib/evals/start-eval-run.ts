// Starting an eval: authorise, validate (zod, then the database: the version must be ready and
// the split non-empty), record a queued run and hand it to the worker. Bad input writes nothing.
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { SPLITS, type SplitName } from '../datasets/params';
import { isProviderConfigured } from '../finetunes/providers';
import { providerIdSchema, type ProviderId } from '../finetunes/provider-ids';
import { enqueueEvalRun } from './enqueue';
import { EvalInputError, type InputIssue } from './errors';
import { defaultConcurrency, defaultMaxTokens, MAX_CONCURRENCY, MAX_MAX_TOKENS, TOP_LOGPROBS, type EvalRunSettings } from './settings';
import { storedJson } from '../stored-json';

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a whole number from ${min} to ${max}` })
    .int(`${field} must be a whole number from ${min} to ${max}`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);

export const startEvalRunSchema = z.object({
  datasetVersionId: z.number({ error: 'choose a dataset version' }).int('choose a dataset version').positive('choose a dataset version'),
  model: z
    .string({ error: 'choose a model' })
    .trim()
    .min(1, 'choose a model')
    .max(200, 'the model name is too long')
    .regex(/^\S+$/, 'the model name cannot contain spaces'),
  provider: providerIdSchema,
  split: z.enum(SPLITS, { error: `split must be one of ${SPLITS.join(', ')}` }).default('test'),
  concurrency: wholeNumber('concurrency', 1, MAX_CONCURRENCY).optional(),
  /** Completion budget per answer (default EVAL_MAX_TOKENS or 5). */
  maxTokens: wholeNumber('max tokens', 1, MAX_MAX_TOKENS).optional(),
  fineTuneJobId: z
    .number({ error: 'fineTuneJobId must be a fine-tune id' })
    .int('fineTuneJobId must be a fine-tune id')
    .positive('fineTuneJobId must be a fine-tune id')
    .nullish(),
  modelCreatedAt: z.coerce.date({ error: 'modelCreatedAt must be a date' }).nullish(),
});

export type StartEvalRunInput = z.input<typeof startEvalRunSchema>;
type ParsedInput = z.output<typeof startEvalRunSchema>;

export interface StartedEvalRun {
  runId: number;
  datasetVersionId: number;
  split: SplitName;
  model: string;
  provider: ProviderId;
  progressTotal: number;
}

export function parseStartEvalRunInput(input: unknown): ParsedInput {
  const r = startEvalRunSchema.safeParse(input);
  if (!r.success) throw EvalInputError.fromZod(r.error);
  return r.data;
}

/** Checks the input against the database; returns the split's size. Throws EvalInputError. */
async function checkAgainstDatabase(p: ParsedInput): Promise<number> {
  const issues: InputIssue[] = [];
  const version = await db().datasetVersion.findUnique({
    where: { id: p.datasetVersionId },
    select: { id: true, version: true, status: true, dataset: { select: { name: true } } },
  });
  let total = 0;
  if (!version) {
    issues.push({ field: 'datasetVersionId', message: `dataset version ${p.datasetVersionId} does not exist` });
  } else if (version.status !== 'ready') {
    issues.push({
      field: 'datasetVersionId',
      message: `${version.dataset.name} v${version.version} is ${version.status}, not ready: only a built version can be evaluated`,
    });
  } else {
    total = await db().datasetExample.count({ where: { versionId: version.id, split: p.split } });
    if (total === 0) issues.push({ field: 'split', message: `${version.dataset.name} v${version.version} has no ${p.split} examples` });
  }
  if (p.fineTuneJobId != null) {
    const job = await db().fineTuneJob.findUnique({ where: { id: p.fineTuneJobId }, select: { id: true } });
    if (!job) issues.push({ field: 'fineTuneJobId', message: `fine-tune ${p.fineTuneJobId} does not exist` });
  }
  const provider = await isProviderConfigured(p.provider);
  if (!provider.configured) issues.push({ field: 'provider', message: provider.problem });
  if (issues.length) throw new EvalInputError(issues);
  return total;
}

function runSettings(p: ParsedInput): EvalRunSettings {
  return {
    concurrency: p.concurrency ?? defaultConcurrency(),
    maxTokens: p.maxTokens ?? defaultMaxTokens(),
    temperature: 0,
    logprobs: true,
    topLogprobs: TOP_LOGPROBS,
  };
}

/**
 * How many conversations of the evaluated split the model saw in training (train or
 * validation split of the dataset version of its fine-tune, or of any fine-tune in its lineage:
 * a model fine-tuned from a fine-tuned model saw both). null when the model is not one of ours
 * (a base model), so "0" always means "checked, none".
 */
export async function trainedOverlap(model: string, datasetVersionId: number, split: SplitName): Promise<number | null> {
  const [row] = await db().$queryRaw<{ models: bigint; overlap: bigint }[]>`
    WITH RECURSIVE lineage AS (
      SELECT j.base_model, j.dataset_version_id FROM fine_tune_jobs j WHERE j.fine_tuned_model = ${model}
      UNION
      SELECT j.base_model, j.dataset_version_id FROM fine_tune_jobs j JOIN lineage l ON j.fine_tuned_model = l.base_model
    )
    SELECT (SELECT count(*) FROM lineage) AS models,
           (SELECT count(DISTINCT e.conversation_id) FROM dataset_examples e
            WHERE e.version_id = ${datasetVersionId} AND e.split = ${split}::"DatasetSplit"
              AND e.conversation_id IN (
                SELECT t.conversation_id FROM dataset_examples t JOIN lineage l ON t.version_id = l.dataset_version_id
                WHERE t.split IN ('train', 'validation'))) AS overlap`;
  return Number(row.models) === 0 ? null : Number(row.overlap);
}

/**
 * Validates and records a queued run as `createdById`, without a role check: startEvalRun
 * (after its check), the automatic evals after a fine-tune (on behalf of its creator) and the
 * golden companion of a run (`goldenOfRunId`).
 */
export async function createEvalRunRecord(input: unknown, createdById: string, opts: { goldenOfRunId?: number } = {}): Promise<StartedEvalRun> {
  const p = parseStartEvalRunInput(input);
  const total = await checkAgainstDatabase(p);
  const overlap = await trainedOverlap(p.model, p.datasetVersionId, p.split);
  const run = await db().evalRun.create({
    data: {
      model: p.model,
      provider: p.provider,
      datasetVersionId: p.datasetVersionId,
      split: p.split,
      status: 'queued',
      settings: storedJson(runSettings(p)),
      fineTuneJobId: p.fineTuneJobId ?? null,
      modelCreatedAt: p.modelCreatedAt ?? null,
      progressTotal: total,
      createdById,
      trainedOverlap: overlap,
      goldenOfRunId: opts.goldenOfRunId ?? null,
    },
    select: { id: true },
  });
  return { runId: run.id, datasetVersionId: p.datasetVersionId, split: p.split, model: p.model, provider: p.provider, progressTotal: total };
}

/**
 * Starts an eval of `model` on a dataset version's split (ml_lead/admin). The worker runs it
 * (queue `eval-run`); `{ enqueue: false }` leaves it to the caller (the CLI runs it in-process).
 */
export async function startEvalRun(actor: Actor, input: StartEvalRunInput, opts: { enqueue?: boolean } = {}): Promise<StartedEvalRun> {
  assertRole(actor, 'ml_lead', 'admin');
  const started = await createEvalRunRecord(input, actor.id);
  if (opts.enqueue !== false) {
    try {
      await enqueueEvalRun(started.runId);
    } catch (e) {
      // Not queued means not started: leave nothing behind that looks like it is waiting.
      await db()
        .evalRun.delete({ where: { id: started.runId } })
        .catch(() => {});
      throw e;
    }
  }
  return started;
}

/**
 * Cancels a queued or running run (ml_lead/admin). A running one stops within a progress tick
 * (~¼ s) once its requests in flight return; its predictions so far are kept. Returns whether
 * the run was cancelled by this call (false: it does not exist or had already ended).
 */
export async function cancelEvalRun(actor: Actor, runId: number): Promise<boolean> {
  assertRole(actor, 'ml_lead', 'admin');
  if (!Number.isInteger(runId) || runId < 1) throw new EvalInputError([{ field: 'runId', message: 'runId must be a positive whole number' }]);
  const r = await db().evalRun.updateMany({
    where: { id: runId, status: { in: ['queued', 'running'] } },
    data: { status: 'cancelled', finishedAt: new Date(), error: `cancelled by ${actor.email}` },
  });
  return r.count === 1;
}
