// The `finetune-poll` step: read the provider job, copy its new events and metrics, record its
// state, and pass on a cancel the user asked for. Safe to run twice at once or again after a
// crash: events are keyed by the provider's id, metrics by step, and a finished run stays
// finished.
import { z } from 'zod';
import { db } from '../db';
import { startAutoEvalsForFineTune } from '../evals/auto-evals';
import { Prisma, type FineTuneJob } from '../generated/prisma/client';
import { providerCheckpointSchema, providerEventSchema, providerJobSchema, stepMetricsSchema, type ProviderEvent, type ProviderJob } from './provider-schemas';
import { describeProviderError, parseProviderResponse, providerClient, type ProviderHandle } from './providers';
import { isTerminal, mapProviderStatus, TERMINAL_STATUSES } from './status';
import { loadRun, outcomeOf, runStep, type StepContext, type StepOptions, type StepOutcome } from './step';

/** Event pages (of 100) read per poll; a run rarely adds more than one between polls. */
const MAX_EVENT_PAGES = 50;

interface MetricRow {
  step: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  validLoss: number | null;
  validAccuracy: number | null;
}

function metricRow(data: unknown): MetricRow | null {
  const m = stepMetricsSchema.safeParse(data);
  if (!m.success) return null;
  const d = m.data;
  return {
    step: d.step,
    trainLoss: d.train_loss ?? null,
    trainAccuracy: d.train_mean_token_accuracy ?? d.train_accuracy ?? null,
    validLoss: d.full_valid_loss ?? d.valid_loss ?? null,
    validAccuracy: d.full_valid_mean_token_accuracy ?? d.valid_mean_token_accuracy ?? null,
  };
}

/** Upserts by (job, step); a value a row already has is kept when the new one is missing. */
async function upsertMetrics(jobId: number, rows: MetricRow[]): Promise<void> {
  const byStep = new Map<number, MetricRow>();
  for (const r of rows) {
    const prev = byStep.get(r.step);
    byStep.set(
      r.step,
      prev
        ? {
            step: r.step,
            trainLoss: r.trainLoss ?? prev.trainLoss,
            trainAccuracy: r.trainAccuracy ?? prev.trainAccuracy,
            validLoss: r.validLoss ?? prev.validLoss,
            validAccuracy: r.validAccuracy ?? prev.validAccuracy,
          }
        : r,
    );
  }
  const all = [...byStep.values()];
  for (let i = 0; i < all.length; i += 1000) {
    const values = all
      .slice(i, i + 1000)
      .map((r) => Prisma.sql`(${jobId}, ${r.step}, ${r.trainLoss}::float8, ${r.trainAccuracy}::float8, ${r.validLoss}::float8, ${r.validAccuracy}::float8)`);
    await db().$executeRaw`
      INSERT INTO fine_tune_metrics (job_id, step, train_loss, train_accuracy, valid_loss, valid_accuracy)
      VALUES ${Prisma.join(values)}
      ON CONFLICT (job_id, step) DO UPDATE SET
        train_loss = COALESCE(EXCLUDED.train_loss, fine_tune_metrics.train_loss),
        train_accuracy = COALESCE(EXCLUDED.train_accuracy, fine_tune_metrics.train_accuracy),
        valid_loss = COALESCE(EXCLUDED.valid_loss, fine_tune_metrics.valid_loss),
        valid_accuracy = COALESCE(EXCLUDED.valid_accuracy, fine_tune_metrics.valid_accuracy)`;
  }
}

/**
 * Copies the events we do not have yet. The provider lists newest first and pages towards
 * older ones, so we read until a page holds an event we already stored, then insert the new
 * ones oldest first (our ids then follow the provider's order).
 */
async function syncEvents(ctx: StepContext, handle: ProviderHandle, run: FineTuneJob): Promise<number> {
  const fresh: ProviderEvent[] = [];
  let page = await ctx.request(() => handle.client.fineTuning.jobs.listEvents(run.providerJobId!, { limit: 100 }));
  for (let n = 0; n < MAX_EVENT_PAGES; n++) {
    const events = page.data.map((e) => providerEventSchema.safeParse(e)).flatMap((r) => (r.success ? [r.data] : []));
    const known = new Set(
      (
        await db().fineTuneEvent.findMany({ where: { jobId: run.id, providerEventId: { in: events.map((e) => e.id) } }, select: { providerEventId: true } })
      ).map((e) => e.providerEventId),
    );
    fresh.push(...events.filter((e) => !known.has(e.id)));
    if (known.size > 0 || !page.hasNextPage()) break;
    const current = page;
    page = await ctx.request(() => current.getNextPage());
  }
  if (!fresh.length) return 0;
  fresh.reverse();
  await db().fineTuneEvent.createMany({
    data: fresh.map((e) => ({
      jobId: run.id,
      providerEventId: e.id,
      createdAt: new Date(e.created_at * 1000),
      level: e.level,
      type: e.type ?? null,
      message: e.message,
      data: e.data ? (e.data as Prisma.InputJsonValue) : Prisma.DbNull,
    })),
    skipDuplicates: true,
  });
  await upsertMetrics(
    run.id,
    fresh.filter((e) => e.type === 'metrics').flatMap((e) => metricRow(e.data) ?? []),
  );
  return fresh.length;
}

async function syncCheckpoints(ctx: StepContext, handle: ProviderHandle, run: FineTuneJob): Promise<void> {
  const rows: MetricRow[] = [];
  let page = await ctx.request(() => handle.client.fineTuning.jobs.checkpoints.list(run.providerJobId!, { limit: 10 }));
  for (;;) {
    for (const raw of page.data) {
      const c = providerCheckpointSchema.safeParse(raw);
      if (!c.success) continue;
      const row = metricRow({ ...c.data.metrics, step: c.data.step_number });
      if (row) rows.push(row);
    }
    if (!page.hasNextPage()) break;
    const current = page;
    page = await ctx.request(() => current.getNextPage());
  }
  if (rows.length) await upsertMetrics(run.id, rows);
}

const resolvedSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

function runUpdate(run: FineTuneJob, pj: ProviderJob, handle: ProviderHandle): Prisma.FineTuneJobUpdateManyMutationInput {
  const status = mapProviderStatus(pj.status);
  const done = isTerminal(status);
  const resolved = resolvedSchema.safeParse(pj.method?.supervised?.hyperparameters ?? pj.hyperparameters);
  const now = new Date();
  return {
    status,
    lastPolledAt: now,
    ...(resolved.success ? { resolvedHyperparameters: resolved.data } : {}),
    trainedTokens: pj.trained_tokens ?? null,
    fineTunedModel: pj.fine_tuned_model ?? null,
    resultFileId: pj.result_files?.[0] ?? null,
    error: status === 'failed' ? `${handle.name}: ${pj.error?.message || 'the fine-tuning job failed'}${pj.error?.code ? ` (${pj.error.code})` : ''}` : null,
    // Training time runs from the first time we see it running (or from creation, for a job
    // that finished between two polls) to the provider's finish time.
    ...(run.startedAt ? {} : status === 'running' ? { startedAt: now } : done ? { startedAt: new Date(pj.created_at * 1000) } : {}),
    ...(done ? { finishedAt: pj.finished_at ? new Date(pj.finished_at * 1000) : now } : {}),
  };
}

async function pollOnce(jobId: number, ctx: StepContext): Promise<StepOutcome> {
  const run = await loadRun(jobId);
  if (!run || !run.providerJobId || isTerminal(run.status)) {
    // A retried poll of a run that already succeeded still makes sure its evals exist.
    if (run?.status === 'succeeded') await startAutoEvalsForFineTune(jobId);
    return outcomeOf(run, jobId);
  }
  const handle = await providerClient(run.provider as ProviderHandle['id']);
  ctx.handle = handle;
  const retrieve = async () =>
    parseProviderResponse(providerJobSchema, await ctx.request(() => handle.client.fineTuning.jobs.retrieve(run.providerJobId!)), handle, 'fine-tuning job');

  let pj = await retrieve();
  if (run.cancelRequested && !isTerminal(mapProviderStatus(pj.status))) {
    try {
      pj = parseProviderResponse(providerJobSchema, await handle.client.fineTuning.jobs.cancel(pj.id), handle, 'fine-tuning job');
    } catch (e) {
      // "Already finished" (a 4xx) means it ended on its own meanwhile: record how it ended.
      if (describeProviderError(e, handle)?.transient !== false) throw e;
      pj = await retrieve();
    }
  }
  await syncEvents(ctx, handle, run);
  if (pj.status !== 'validating_files') await syncCheckpoints(ctx, handle, run);
  await db().fineTuneJob.updateMany({ where: { id: jobId, status: { notIn: [...TERMINAL_STATUSES] } }, data: runUpdate(run, pj, handle) });
  const after = await loadRun(jobId);
  // Every successful fine-tune is evaluated against its base on the test split (idempotent;
  // AUTO_EVAL_AFTER_FINETUNE=off turns it off). A failure here throws, so the poll is retried.
  if (after?.status === 'succeeded') await startAutoEvalsForFineTune(jobId);
  return outcomeOf(after, jobId);
}

/** One attempt of `finetune-poll` for run `jobId` (see runStep for failures). */
export function runFineTunePoll(jobId: number, opts: StepOptions = {}): Promise<StepOutcome> {
  return runStep(jobId, opts, (ctx) => pollOnce(jobId, ctx));
}
