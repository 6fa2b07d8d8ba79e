// The `finetune-poll` step: read the provider job, copy its new events and metrics, record its
// state, pass on a cancel the user asked for, and — for a provider whose models serve only
// once deployed (Azure OpenAI) — take a trained model through `deploying` to `succeeded`.
// Safe to run twice at once or again after a crash: events are keyed by the provider's id,
// metrics by step, a deployment by a name fixed per run, and a finished run stays finished.
//
// Polls back off while nothing changes: each poll stores the provider's status word, the wait
// (2 s, doubling while the status stays the same, capped at FINETUNE_POLL_MAX_MS: 60 s for a
// hosted provider) and the resulting next poll time on the run, so a restarted worker keeps
// the schedule; any change of status starts again from 2 s.
import { db } from '../db';
import { startAutoEvalsForFineTune } from '../evals/auto-evals';
import { Prisma, type FineTuneJob } from '../generated/prisma/client';
import { describeProviderError, fineTuneAdapter, type FineTuneAdapter, type ProviderJobState } from './providers';
import type { MetricRow } from './providers/adapter';
import { metricRow } from './providers/openai-protocol';
import { nextPollInterval, pollBackoff } from './retry-settings';
import { isTerminal, TERMINAL_STATUSES } from './status';
import { loadRun, outcomeOf, runStep, type StepContext, type StepOptions, type StepOutcome } from './step';

/** A poll that arrives at most this early still runs (queue start times are whole seconds). */
const SCHEDULE_SLACK_MS = 1_000;

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

/** Copies the events we do not have yet (oldest first, so our ids follow the provider's order) and their metrics. */
async function syncEvents(ctx: StepContext, adapter: FineTuneAdapter, run: FineTuneJob): Promise<number> {
  const known = async (ids: string[]) =>
    new Set(
      (await db().fineTuneEvent.findMany({ where: { jobId: run.id, providerEventId: { in: ids } }, select: { providerEventId: true } })).map(
        (e) => e.providerEventId,
      ),
    );
  const fresh = await adapter.newEvents(ctx, run.providerJobId!, known);
  if (!fresh.length) return 0;
  await db().fineTuneEvent.createMany({
    data: fresh.map((e) => ({
      jobId: run.id,
      providerEventId: e.id,
      createdAt: e.createdAt,
      level: e.level,
      type: e.type,
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

/** An event of the Studio's own (the deployment step), idempotent by its id. */
async function studioEvent(jobId: number, id: string, level: string, message: string): Promise<void> {
  await db().fineTuneEvent.createMany({
    data: [{ jobId, providerEventId: `studio-${id}`, createdAt: new Date(), level, type: 'studio', message }],
    skipDuplicates: true,
  });
}

function schedule(run: FineTuneJob, observed: string, nowMs: number) {
  const interval = nextPollInterval(pollBackoff(run.provider), run.pollIntervalMs, observed !== run.providerStatus);
  return { providerStatus: observed, pollIntervalMs: interval, nextPollAt: new Date(nowMs + interval), lastPolledAt: new Date(nowMs) };
}

function runUpdate(run: FineTuneJob, pj: ProviderJobState, adapter: FineTuneAdapter, nowMs: number): Prisma.FineTuneJobUpdateManyMutationInput {
  const now = new Date(nowMs);
  const done = isTerminal(pj.status);
  const deploy = pj.status === 'succeeded' && adapter.deployer;
  const base: Prisma.FineTuneJobUpdateManyMutationInput = {
    status: deploy ? 'deploying' : pj.status,
    ...schedule(run, pj.rawStatus, nowMs),
    ...(pj.resolvedHyperparameters ? { resolvedHyperparameters: pj.resolvedHyperparameters } : {}),
    trainedTokens: pj.trainedTokens,
    fineTunedModel: deploy ? null : pj.fineTunedModel,
    resultFileId: pj.resultFile,
    error:
      pj.status === 'failed'
        ? `${adapter.handle.name}: ${pj.error?.message || 'the fine-tuning job failed'}${pj.error?.code ? ` (${pj.error.code})` : ''}`
        : null,
    // Training time runs from the first time we see it running (or from creation, for a job
    // that finished between two polls) to the provider's finish time.
    ...(run.startedAt ? {} : pj.status === 'running' ? { startedAt: now } : done ? { startedAt: pj.createdAt } : {}),
    ...(done && !deploy ? { finishedAt: pj.finishedAt ?? now } : {}),
  };
  if (deploy) {
    if (!pj.fineTunedModel) base.error = `${adapter.handle.name} reported the job succeeded without naming the fine-tuned model; it cannot be deployed.`;
    Object.assign(
      base,
      pj.fineTunedModel
        ? { providerModel: pj.fineTunedModel, deploymentName: adapter.deployer!.deploymentNameFor(run) }
        : { status: 'failed', finishedAt: now },
    );
  }
  return base;
}

/** A trained model on its way to serving: start (or follow) its deployment. */
async function followDeployment(jobId: number, run: FineTuneJob, adapter: FineTuneAdapter, ctx: StepContext, nowMs: number): Promise<StepOutcome> {
  const name = run.deploymentName ?? adapter.deployer!.deploymentNameFor(run);
  await studioEvent(jobId, 'deploy-start', 'info', `Deploying ${run.providerModel} as ${name}: it serves once the deployment succeeds.`);
  const d = await adapter.deployer!.ensureDeployed(ctx, name, run.providerModel!);
  const data: Prisma.FineTuneJobUpdateManyMutationInput = { ...schedule(run, `deployment:${d.raw}`, nowMs), deploymentName: name };
  if (d.state === 'succeeded') {
    Object.assign(data, { status: 'succeeded', fineTunedModel: name, finishedAt: new Date(nowMs), error: null });
    await studioEvent(jobId, 'deploy-done', 'info', `Deployment ${name} succeeded: inference calls use the model name ${name}.`);
  } else if (d.state === 'failed') {
    Object.assign(data, { status: 'failed', finishedAt: new Date(nowMs), error: `${adapter.handle.name}: ${d.message ?? `the deployment ended ${d.raw}`}` });
  }
  await db().fineTuneJob.updateMany({ where: { id: jobId, status: 'deploying' }, data });
  const after = await loadRun(jobId);
  if (after?.status === 'succeeded') await startAutoEvalsForFineTune(jobId);
  return outcomeOf(after, jobId, nowMs);
}

async function pollOnce(jobId: number, ctx: StepContext, opts: StepOptions): Promise<StepOutcome> {
  const nowMs = (opts.now ?? Date.now)();
  const run = await loadRun(jobId);
  if (!run || !run.providerJobId || isTerminal(run.status)) {
    // A retried poll of a run that already succeeded still makes sure its evals exist.
    if (run?.status === 'succeeded') await startAutoEvalsForFineTune(jobId);
    return outcomeOf(run, jobId, nowMs);
  }
  // Early (a duplicate job, a restart's sweep): keep the persisted schedule. A cancel waits for no one.
  if (opts.respectSchedule && run.nextPollAt && run.nextPollAt.getTime() - nowMs > SCHEDULE_SLACK_MS && !run.cancelRequested) {
    return outcomeOf(run, jobId, nowMs);
  }
  const adapter = await fineTuneAdapter(run.provider);
  ctx.handle = adapter.handle;
  if (run.status === 'deploying' && adapter.deployer && run.providerModel) return followDeployment(jobId, run, adapter, ctx, nowMs);

  const id = run.providerJobId;
  let pj = await adapter.retrieveJob(ctx, id);
  if (run.cancelRequested && !isTerminal(pj.status)) {
    try {
      pj = await adapter.cancelJob(id);
    } catch (e) {
      // "Already finished" (a 4xx) means it ended on its own meanwhile: record how it ended.
      if (describeProviderError(e, adapter.handle)?.transient !== false) throw e;
      pj = await adapter.retrieveJob(ctx, id);
    }
  }
  await syncEvents(ctx, adapter, run);
  if (pj.status !== 'validating_files' && adapter.checkpointMetrics) {
    const rows = await adapter.checkpointMetrics(ctx, id);
    if (rows.length) await upsertMetrics(run.id, rows);
  }
  await db().fineTuneJob.updateMany({ where: { id: jobId, status: { notIn: [...TERMINAL_STATUSES] } }, data: runUpdate(run, pj, adapter, nowMs) });
  let after = await loadRun(jobId);
  // Trained on a provider that deploys: go straight on to the deployment (no need to wait a poll).
  if (after?.status === 'deploying' && adapter.deployer && after.providerModel && !run.cancelRequested) {
    return followDeployment(jobId, after, adapter, ctx, nowMs);
  }
  // Every successful fine-tune is evaluated against its base on the test split (idempotent;
  // AUTO_EVAL_AFTER_FINETUNE=off turns it off). A failure here throws, so the poll is retried.
  if (after?.status === 'succeeded') await startAutoEvalsForFineTune(jobId);
  after = after ?? null;
  return outcomeOf(after, jobId, nowMs);
}

/** One attempt of `finetune-poll` for run `jobId` (see runStep for failures). */
export function runFineTunePoll(jobId: number, opts: StepOptions = {}): Promise<StepOutcome> {
  return runStep(jobId, opts, (ctx) => pollOnce(jobId, ctx, opts));
}
