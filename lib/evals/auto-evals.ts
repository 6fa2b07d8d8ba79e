// Automatic evals after a fine-tune: the fine-tuned model and the base model it started from,
// on the test split of the version it was trained on, so every fine-tune comes with a
// before/after comparison. Called by the fine-tune poller when a job succeeds.
import { db } from '../db';
import { enqueueEvalRun } from './enqueue';
import { EvalInputError } from './errors';
import { autoEvalAfterFineTune } from './settings';
import { KEYWORD_RULE_MODEL } from './baselines';
import { createEvalRunRecord } from './start-eval-run';

export interface AutoEvalResult {
  /** Why nothing was started, when nothing was. */
  skipped: string | null;
  /** The runs of the fine-tuned and the base model (started now or earlier); null when none. */
  fineTunedRunId: number | null;
  baseRunId: number | null;
  /** Runs this call created. */
  created: number[];
}

const AUTO_SPLIT = 'test' as const;

/**
 * Starts the two evals for succeeded fine-tune `jobId` (AUTO_EVAL_AFTER_FINETUNE, default on).
 * Idempotent: a model that already has a run for this job is not evaluated again (a queued one
 * is handed to the worker again, which is harmless). Runs are created by the fine-tune's creator;
 * the fine-tuned model's run has modelCreatedAt = the job's finish time, the base model's null.
 */
export async function startAutoEvalsForFineTune(jobId: number): Promise<AutoEvalResult> {
  const none = (skipped: string): AutoEvalResult => ({ skipped, fineTunedRunId: null, baseRunId: null, created: [] });
  if (!autoEvalAfterFineTune()) return none('AUTO_EVAL_AFTER_FINETUNE is off');
  const job = await db().fineTuneJob.findUnique({
    where: { id: jobId },
    select: {
      id: true,
      status: true,
      provider: true,
      baseModel: true,
      fineTunedModel: true,
      finishedAt: true,
      createdById: true,
      datasetVersionId: true,
      datasetVersion: { select: { status: true } },
    },
  });
  if (!job) return none(`fine-tune ${jobId} does not exist`);
  if (job.status !== 'succeeded' || !job.fineTunedModel) return none(`fine-tune ${jobId} has not succeeded`);
  if (job.datasetVersion.status !== 'ready') return none('its dataset version is not ready');
  const testCount = await db().datasetExample.count({ where: { versionId: job.datasetVersionId, split: AUTO_SPLIT } });
  if (testCount === 0) return none('its dataset version has no test examples');

  const wanted: { model: string; provider: string; modelCreatedAt: Date | null }[] = [
    { model: job.fineTunedModel, provider: job.provider, modelCreatedAt: job.finishedAt ?? new Date() },
    { model: job.baseModel, provider: job.provider, modelCreatedAt: null },
  ];
  // Every fine-tune is also measured against the keyword rule; when the base is another model
  // (an OpenAI base), the rule runs on the bundled trainer if one is configured (else skipped).
  if (job.baseModel !== KEYWORD_RULE_MODEL) wanted.push({ model: KEYWORD_RULE_MODEL, provider: 'local', modelCreatedAt: null });
  const created: number[] = [];
  const ids: (number | null)[] = [];
  for (const w of wanted) {
    // One transaction-scoped lock per job+model: two pollers finishing the same job at once
    // cannot both create the run.
    const runId = await db().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`eval-auto:${job.id}:${w.model}`}))`;
      const existing = await tx.evalRun.findFirst({
        where: { fineTuneJobId: job.id, model: w.model, datasetVersionId: job.datasetVersionId, split: AUTO_SPLIT },
        orderBy: { id: 'desc' },
        select: { id: true },
      });
      if (existing) return existing.id;
      try {
        const run = await createEvalRunRecord(
          {
            datasetVersionId: job.datasetVersionId,
            model: w.model,
            provider: w.provider,
            split: AUTO_SPLIT,
            fineTuneJobId: job.id,
            modelCreatedAt: w.modelCreatedAt,
          },
          job.createdById,
        );
        created.push(run.runId);
        return run.runId;
      } catch (e) {
        if (e instanceof EvalInputError) return null;
        throw e;
      }
    });
    ids.push(runId);
  }
  // Queued runs (new ones, or ones whose job was lost) go to the worker; "exclusive" drops a copy.
  const queued = await db().evalRun.findMany({ where: { id: { in: ids.filter((i): i is number => i !== null) }, status: 'queued' }, select: { id: true } });
  for (const r of queued) await enqueueEvalRun(r.id);
  return { skipped: null, fineTunedRunId: ids[0], baseRunId: ids[1], created };
}
