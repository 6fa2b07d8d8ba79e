// Reads for the eval pages and routes. Every signed-in role may read evals; starting them is
// ml_lead/admin (start-eval-run.ts).
import { UnauthenticatedError } from '../errors';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { SPLITS, type SplitName } from '../datasets/params';
import type { Prisma } from '../generated/prisma/client';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { EvalInputError } from './errors';
import { PREDICTED, type PredictedLabel } from './metrics';
import { parseStored, parseStoredOrNull } from '../stored-json';
import { evalMetricsSchema, evalRunSettingsSchema } from './stored-json';

export const RUNS_PAGE_SIZE = 25;
export const PREDICTIONS_PAGE_SIZE = 20;

export function assertSignedIn(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new UnauthenticatedError();
}

export function canStartEvals(actor: Actor | null): boolean {
  return actor?.role === 'ml_lead' || actor?.role === 'admin';
}

function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new EvalInputError([{ field, message: `${field} must be a positive whole number` }]);
  return value;
}

const runListSelect = {
  id: true,
  model: true,
  provider: true,
  split: true,
  status: true,
  accuracy: true,
  macroF1: true,
  progressDone: true,
  progressTotal: true,
  error: true,
  createdAt: true,
  finishedAt: true,
  fineTuneJobId: true,
  goldenOfRunId: true,
  trainedOverlap: true,
  datasetVersion: { select: { id: true, version: true, dataset: { select: { id: true, name: true, kind: true } } } },
} satisfies Prisma.EvalRunSelect;

/** Newest runs first, 25 a page, keyset-paginated by id; optionally of one dataset version. */
export async function listEvalRuns(actor: Actor | null, opts: { before?: number; datasetVersionId?: number } = {}) {
  assertSignedIn(actor);
  // Golden companions are shown beside the run they belong to, not as rows of their own.
  const where: Prisma.EvalRunWhereInput = { goldenOfRunId: null };
  if (opts.before !== undefined) where.id = { lt: positiveInt(opts.before, 'before') };
  if (opts.datasetVersionId !== undefined) where.datasetVersionId = positiveInt(opts.datasetVersionId, 'datasetVersionId');
  const rows = await db().evalRun.findMany({ where, orderBy: { id: 'desc' }, take: RUNS_PAGE_SIZE + 1, select: runListSelect });
  const more = rows.length > RUNS_PAGE_SIZE;
  const page = rows.slice(0, RUNS_PAGE_SIZE);
  return {
    runs: page.map(({ datasetVersion, ...r }) => ({
      ...r,
      datasetVersionId: datasetVersion.id,
      datasetId: datasetVersion.dataset.id,
      datasetName: datasetVersion.dataset.name,
      datasetKind: datasetVersion.dataset.kind,
      version: datasetVersion.version,
    })),
    nextBefore: more ? page[page.length - 1].id : null,
  };
}

/** A run with its metrics, settings, dataset version and fine-tune; null when it does not exist. */
export async function getEvalRun(actor: Actor | null, id: number) {
  assertSignedIn(actor);
  const run = await db().evalRun.findUnique({
    where: { id: positiveInt(id, 'id') },
    include: {
      datasetVersion: {
        select: {
          id: true,
          version: true,
          status: true,
          exampleCount: true,
          contentHash: true,
          counts: true,
          dataset: { select: { id: true, name: true, kind: true } },
        },
      },
      fineTuneJob: { select: { id: true, status: true, provider: true, baseModel: true, fineTunedModel: true, finishedAt: true } },
      createdBy: { select: { email: true, name: true } },
    },
  });
  if (!run) return null;
  const { metrics, settings, fineTuneJob, ...rest } = run;
  return {
    ...rest,
    settings: parseStored(evalRunSettingsSchema, settings, 'eval_runs.settings'),
    metrics: parseStoredOrNull(evalMetricsSchema, metrics, 'eval_runs.metrics'),
    fineTune: fineTuneJob ? { ...fineTuneJob, role: fineTuneJob.fineTunedModel === run.model ? ('fine-tuned' as const) : ('base' as const) } : null,
  };
}

/** Status and progress, for polling while a run is going; null when it does not exist. */
export async function getEvalRunLive(actor: Actor | null, id: number) {
  assertSignedIn(actor);
  return db().evalRun.findUnique({
    where: { id: positiveInt(id, 'id') },
    select: { id: true, status: true, progressDone: true, progressTotal: true, accuracy: true, macroF1: true, error: true, startedAt: true, finishedAt: true },
  });
}

export interface PredictionFilter {
  truth?: LabelValueName;
  predicted?: PredictedLabel;
  /** The last ordinal of the previous page. */
  after?: number;
}

export interface PredictionRow {
  ordinal: number;
  conversationId: number;
  messageId: number;
  externalId: string | null;
  truth: LabelValueName;
  predicted: PredictedLabel;
  confidence: number | null;
  rawOutput: string | null;
  error: string | null;
  latencyMs: number | null;
  /** The prompt's user message (the transcript up to the turn). */
  userContent: string | null;
}

/** One confusion-matrix cell (or row, column, or everything), 20 a page in file order; null for an unknown run. */
export async function listPredictions(actor: Actor | null, runId: number, filter: PredictionFilter = {}) {
  assertSignedIn(actor);
  const issues = [];
  if (filter.truth !== undefined && !LABEL_VALUES.includes(filter.truth))
    issues.push({ field: 'truth', message: `truth must be one of ${LABEL_VALUES.join(', ')}` });
  if (filter.predicted !== undefined && !PREDICTED.includes(filter.predicted))
    issues.push({ field: 'predicted', message: `predicted must be one of ${PREDICTED.join(', ')}` });
  if (filter.after !== undefined && (!Number.isInteger(filter.after) || filter.after < 0))
    issues.push({ field: 'after', message: 'after must be a whole number' });
  if (issues.length) throw new EvalInputError(issues);
  const run = await db().evalRun.findUnique({ where: { id: positiveInt(runId, 'runId') }, select: { id: true, datasetVersionId: true, split: true } });
  if (!run) return null;
  const rows = await db().$queryRaw<PredictionRow[]>`
    SELECT p.ordinal, p.conversation_id AS "conversationId", p.message_id AS "messageId",
           coalesce(e.external_id, c.external_id) AS "externalId",
           p.truth::text AS truth, p.predicted, p.confidence, p.raw_output AS "rawOutput", p.error,
           p.latency_ms AS "latencyMs", e.user_content AS "userContent"
    FROM eval_predictions p
    LEFT JOIN dataset_examples e ON e.version_id = ${run.datasetVersionId} AND e.split = ${run.split}::"DatasetSplit" AND e.ordinal = p.ordinal
    LEFT JOIN conversations c ON c.id = p.conversation_id AND e.external_id IS NULL
    WHERE p.run_id = ${run.id}
      AND (${filter.truth ?? null}::text IS NULL OR p.truth::text = ${filter.truth ?? null}::text)
      AND (${filter.predicted ?? null}::text IS NULL OR p.predicted = ${filter.predicted ?? null}::text)
      AND p.ordinal > ${filter.after ?? 0}
    ORDER BY p.ordinal
    LIMIT ${PREDICTIONS_PAGE_SIZE + 1}`;
  const more = rows.length > PREDICTIONS_PAGE_SIZE;
  const predictions = rows.slice(0, PREDICTIONS_PAGE_SIZE);
  return { predictions, nextAfter: more ? predictions[predictions.length - 1].ordinal : null };
}

/** The auto-eval runs of a fine-tune (latest of each model); null ids when not started (yet). */
export async function comparisonForFineTune(actor: Actor | null, jobId: number) {
  assertSignedIn(actor);
  const job = await db().fineTuneJob.findUnique({
    where: { id: positiveInt(jobId, 'jobId') },
    select: { id: true, baseModel: true, fineTunedModel: true, datasetVersionId: true },
  });
  if (!job) return null;
  const runs = await db().evalRun.findMany({
    where: { fineTuneJobId: job.id, datasetVersionId: job.datasetVersionId, split: 'test' },
    orderBy: { id: 'desc' },
    select: { id: true, model: true, status: true },
  });
  const latest = (model: string | null) => (model ? (runs.find((r) => r.model === model) ?? null) : null);
  const ft = latest(job.fineTunedModel);
  const base = latest(job.baseModel);
  return {
    jobId: job.id,
    fineTunedRunId: ft?.id ?? null,
    baseRunId: base?.id ?? null,
    fineTunedStatus: ft?.status ?? null,
    baseStatus: base?.status ?? null,
    /** [fine-tuned, base] when both exist: the order compareEvalRuns takes (deltas vs the first). */
    runIds: ft && base ? [ft.id, base.id] : [],
  };
}

/**
 * Every succeeded run on any version of dataset `datasetId` (one split, default test), in the
 * order the models were made: base models (no creation time) first, then by modelCreatedAt,
 * ties by run time; plus the golden companions of those runs. Each point names its test set
 * (`v2 test`, `golden`): runs on different test sets are different measurements, so the
 * "over time" chart draws one series per test set instead of joining them into one line.
 */
export async function evalLineage(actor: Actor | null, datasetId: number, opts: { split?: SplitName } = {}) {
  assertSignedIn(actor);
  const split = opts.split ?? 'test';
  if (!SPLITS.includes(split)) throw new EvalInputError([{ field: 'split', message: `split must be one of ${SPLITS.join(', ')}` }]);
  const dataset = await db().dataset.findUnique({ where: { id: positiveInt(datasetId, 'datasetId') }, select: { id: true, name: true } });
  if (!dataset) return null;
  const select = {
    id: true,
    model: true,
    provider: true,
    modelCreatedAt: true,
    createdAt: true,
    finishedAt: true,
    accuracy: true,
    macroF1: true,
    fineTuneJobId: true,
    trainedOverlap: true,
    goldenOfRunId: true,
    datasetVersion: { select: { id: true, version: true } },
  } satisfies Prisma.EvalRunSelect;
  const order = [{ modelCreatedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.EvalRunOrderByWithRelationInput[];
  const runs = await db().evalRun.findMany({ where: { status: 'succeeded', split, datasetVersion: { datasetId: dataset.id } }, orderBy: order, select });
  const golden = await db().evalRun.findMany({
    where: { status: 'succeeded', goldenOf: { status: 'succeeded', split, datasetVersion: { datasetId: dataset.id } } },
    orderBy: order,
    select,
  });
  const point = ({ datasetVersion, ...r }: (typeof runs)[number], testSet: string) => ({
    ...r,
    datasetVersionId: datasetVersion.id,
    version: datasetVersion.version,
    isBase: r.modelCreatedAt === null,
    testSet,
  });
  return {
    dataset,
    split,
    points: runs.map((r) => point(r, `v${r.datasetVersion.version} ${split}`)),
    golden: golden.map((r) => point(r, 'golden')),
  };
}
