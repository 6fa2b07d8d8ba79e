// The `finetune-launch` step: upload the version's files, then create the provider job, each
// result recorded as soon as it exists so a retry resumes where the last attempt stopped.
// Creating is guarded twice: one launcher per run at a time (job-lock.ts), and before any
// create we look for a provider job that already carries this run's idempotency key — which
// is what keeps a launcher killed between "created" and "recorded" from creating a second.
import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream, openAsBlob } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toFile } from 'openai';
import { z } from 'zod';
import { db } from '../db';
import { exportFileChunks } from '../datasets/export-files';
import type { FineTuneJob } from '../generated/prisma/client';
import { withLaunchLock } from './job-lock';
import { providerFileSchema, providerJobSchema, type ProviderJob } from './provider-schemas';
import { parseProviderResponse, providerClient, type ProviderHandle } from './providers';
import { isTerminal, mapProviderStatus } from './status';
import { loadRun, outcomeOf, runStep, type StepContext, type StepOptions, type StepOutcome } from './step';

/** Pages of the provider's job list searched for a job this run already created. */
const ADOPT_SEARCH_PAGES = 3;

const requestedSchema = z.object({
  n_epochs: z.union([z.literal('auto'), z.number()]),
  batch_size: z.union([z.literal('auto'), z.number()]),
  learning_rate_multiplier: z.union([z.literal('auto'), z.number()]),
});
const countsSchema = z.record(z.string(), z.record(z.string(), z.number()));

async function hasValidationExamples(versionId: number): Promise<boolean> {
  const v = await db().datasetVersion.findUniqueOrThrow({ where: { id: versionId }, select: { counts: true } });
  const counts = countsSchema.safeParse(v.counts);
  // Unknown counts: upload it and let an empty file show up as such.
  if (!counts.success) return true;
  return Object.values(counts.data.validation ?? {}).reduce((a, b) => a + b, 0) > 0;
}

/** Streams the split's JSONL to a temp file (bounded memory), then uploads it from disk. */
async function uploadSplit(ctx: StepContext, handle: ProviderHandle, versionId: number, file: 'train.jsonl' | 'validation.jsonl'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-finetune-'));
  try {
    const tmp = path.join(dir, file);
    await pipeline(Readable.from(exportFileChunks(versionId, file)), createWriteStream(tmp));
    const blob = await openAsBlob(tmp, { type: 'application/jsonl' });
    const uploaded = await ctx.request(async () => handle.client.files.create({ file: await toFile(blob, file), purpose: 'fine-tune' }));
    return parseProviderResponse(providerFileSchema, uploaded, handle, 'file').id;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isOurs(pj: ProviderJob, run: FineTuneJob): boolean {
  if (pj.metadata?.studio_job_key === run.idempotencyKey) return true;
  // For servers that drop metadata: the training file was uploaded for this run alone.
  if (!run.trainingFileId || pj.training_file !== run.trainingFileId) return false;
  return !run.suffix || pj.user_provided_suffix === run.suffix || Boolean(pj.fine_tuned_model?.includes(`:${run.suffix}:`));
}

/** The provider job this run created in an earlier attempt, if there is one (newest first). */
async function findCreatedJob(ctx: StepContext, handle: ProviderHandle, run: FineTuneJob): Promise<ProviderJob | null> {
  const searches = [{ limit: 100, metadata: { studio_job_key: run.idempotencyKey } }, { limit: 100 }];
  for (const query of searches) {
    let page = await ctx.request(() => handle.client.fineTuning.jobs.list(query));
    for (let n = 0; n < ADOPT_SEARCH_PAGES; n++) {
      for (const raw of page.data) {
        const pj = parseProviderResponse(providerJobSchema, raw, handle, 'fine-tuning job');
        if (isOurs(pj, run)) return pj;
      }
      if (!page.hasNextPage()) break;
      const current = page;
      page = await ctx.request(() => current.getNextPage());
    }
  }
  return null;
}

async function cancelBeforeProvider(jobId: number): Promise<StepOutcome> {
  await db().fineTuneJob.updateMany({ where: { id: jobId, status: 'pending' }, data: { status: 'cancelled', finishedAt: new Date(), error: null } });
  return outcomeOf(await loadRun(jobId), jobId);
}

async function launchLocked(jobId: number, ctx: StepContext): Promise<StepOutcome> {
  let run = await loadRun(jobId);
  if (!run || run.status !== 'pending' || run.providerJobId) return outcomeOf(run, jobId);
  if (run.cancelRequested) return cancelBeforeProvider(jobId);

  const handle = await providerClient(run.provider as ProviderHandle['id']);
  ctx.handle = handle;

  if (!run.trainingFileId) {
    const id = await uploadSplit(ctx, handle, run.datasetVersionId, 'train.jsonl');
    run = await db().fineTuneJob.update({ where: { id: jobId }, data: { trainingFileId: id } });
  }
  if (!run.validationFileId && (await hasValidationExamples(run.datasetVersionId))) {
    const id = await uploadSplit(ctx, handle, run.datasetVersionId, 'validation.jsonl');
    run = await db().fineTuneJob.update({ where: { id: jobId }, data: { validationFileId: id } });
  }
  run = (await loadRun(jobId))!;
  if (run.cancelRequested) return cancelBeforeProvider(jobId);

  let pj = await findCreatedJob(ctx, handle, run);
  if (!pj) {
    const created = await handle.client.fineTuning.jobs.create({
      model: run.baseModel,
      training_file: run.trainingFileId!,
      ...(run.validationFileId ? { validation_file: run.validationFileId } : {}),
      ...(run.suffix ? { suffix: run.suffix } : {}),
      ...(run.seed !== null ? { seed: run.seed } : {}),
      metadata: { studio_job_key: run.idempotencyKey, studio_job_id: String(run.id) },
      method: { type: 'supervised', supervised: { hyperparameters: requestedSchema.parse(run.hyperparameters) } },
    });
    pj = parseProviderResponse(providerJobSchema, created, handle, 'fine-tuning job');
  }
  // A terminal state (an adopted job that already finished) is left for the poll to record,
  // together with the model, tokens and events that go with it.
  const status = mapProviderStatus(pj.status);
  run = await db().fineTuneJob.update({ where: { id: jobId }, data: { providerJobId: pj.id, status: isTerminal(status) ? run.status : status, error: null } });

  if (run.cancelRequested) {
    // Asked to cancel while we were creating: do it now; if this fails the poller retries it.
    await handle.client.fineTuning.jobs.cancel(pj.id).catch(() => {});
  }
  return outcomeOf(run, jobId);
}

/** One attempt of `finetune-launch` for run `jobId` (idempotent; see runStep for failures). */
export function runFineTuneLaunch(jobId: number, opts: StepOptions = {}): Promise<StepOutcome> {
  return runStep(jobId, opts, (ctx) => withLaunchLock(jobId, () => launchLocked(jobId, ctx)));
}
