// The `finetune-launch` step: upload the version's files, then create the provider job, each
// result recorded as soon as it exists so a retry resumes where the last attempt stopped.
// Creating is guarded twice: one launcher per run at a time (job-lock.ts), and before any
// create we look for a provider job this run already created (by the idempotency key sent as
// metadata, or the training file uploaded for this run alone) — which is what keeps a launcher
// killed between "created" and "recorded" from creating a second. The provider is reached
// through its adapter (providers/), the same code path for every trainer.
import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { db } from '../db';
import { exportFileChunks } from '../datasets/export-files';
import { withLaunchLock } from './job-lock';
import type { HeldLease } from '../jobs/work-lease';
import { fineTuneAdapter, type FineTuneAdapter } from './providers';
import type { RequestRunner, UploadProgress } from './providers/adapter';
import { isTerminal } from './status';
import { loadRun, outcomeOf, runStep, type StepContext, type StepOptions, type StepOutcome } from './step';

const countsSchema = z.record(z.string(), z.record(z.string(), z.number()));

async function hasValidationExamples(versionId: number): Promise<boolean> {
  const v = await db().datasetVersion.findUniqueOrThrow({ where: { id: versionId }, select: { counts: true } });
  const counts = countsSchema.safeParse(v.counts);
  // Unknown counts: upload it and let an empty file show up as such.
  if (!counts.success) return true;
  return Object.values(counts.data.validation ?? {}).reduce((a, b) => a + b, 0) > 0;
}

const MB = 1024 * 1024;

/** The upload's progress as the run's provider status (the run page shows it while the launch is pending). */
export function uploadProgressText(p: UploadProgress): string {
  const mb = (b: number) => (b / MB).toFixed(b < 10 * MB ? 1 : 0);
  const parts = p.parts ? ` (${p.parts.done}/${p.parts.total} parts, Uploads API)` : '';
  return `uploading ${p.file}: ${mb(p.sentBytes)} of ${mb(p.totalBytes)} MB${parts}`;
}

/**
 * Streams the split's JSONL to a temp file (bounded memory), then uploads it from disk — in
 * parts when it is over the Files API's limit (openai-protocol.ts) — recording the progress.
 */
async function uploadSplit(
  ctx: RequestRunner,
  adapter: FineTuneAdapter,
  jobId: number,
  versionId: number,
  file: 'train.jsonl' | 'validation.jsonl',
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-finetune-'));
  try {
    const tmp = path.join(dir, file);
    await pipeline(Readable.from(exportFileChunks(versionId, file)), createWriteStream(tmp));
    let recorded = Promise.resolve();
    const id = await adapter.uploadFile(ctx, { path: tmp, name: file }, (p) => {
      // In order and never concurrent; a pending run only (the provider job has not been created).
      recorded = recorded
        .then(() => db().fineTuneJob.updateMany({ where: { id: jobId, providerJobId: null }, data: { providerStatus: uploadProgressText(p) } }))
        .then(() => {});
    });
    await recorded;
    return id;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function cancelBeforeProvider(jobId: number): Promise<StepOutcome> {
  await db().fineTuneJob.updateMany({ where: { id: jobId, status: 'pending' }, data: { status: 'cancelled', finishedAt: new Date(), error: null } });
  return outcomeOf(await loadRun(jobId), jobId);
}

async function launchLocked(jobId: number, ctx: StepContext, lease: HeldLease): Promise<StepOutcome> {
  let run = await loadRun(jobId);
  if (!run || run.status !== 'pending' || run.providerJobId) return outcomeOf(run, jobId);
  if (run.cancelRequested) return cancelBeforeProvider(jobId);

  const adapter = await fineTuneAdapter(run.provider);
  ctx.handle = adapter.handle;

  if (!run.trainingFileId) {
    const id = await uploadSplit(ctx, adapter, jobId, run.datasetVersionId, 'train.jsonl');
    run = await db().fineTuneJob.update({ where: { id: jobId }, data: { trainingFileId: id } });
  }
  if (!run.validationFileId && (await hasValidationExamples(run.datasetVersionId))) {
    const id = await uploadSplit(ctx, adapter, jobId, run.datasetVersionId, 'validation.jsonl');
    run = await db().fineTuneJob.update({ where: { id: jobId }, data: { validationFileId: id } });
  }
  // Still ours? (An upload long enough for this process to stall past its lease would let another launcher in.)
  await lease.assertHeld();
  run = (await loadRun(jobId))!;
  if (run.cancelRequested) return cancelBeforeProvider(jobId);
  if (run.providerJobId) return outcomeOf(run, jobId);

  const pj = (await adapter.findCreatedJob(ctx, run)) ?? (await adapter.createJob(run));
  // A terminal state (an adopted job that already finished) is left for the poll to record,
  // together with the model, tokens and events that go with it.
  run = await db().fineTuneJob.update({
    where: { id: jobId },
    data: { providerJobId: pj.id, status: isTerminal(pj.status) ? run.status : pj.status, providerStatus: pj.rawStatus, error: null },
  });

  if (run.cancelRequested) {
    // Asked to cancel while we were creating: do it now; if this fails the poller retries it.
    await adapter.cancelJob(pj.id).catch(() => {});
  }
  return outcomeOf(run, jobId);
}

/** One attempt of `finetune-launch` for run `jobId` (idempotent; see runStep for failures). */
export function runFineTuneLaunch(jobId: number, opts: StepOptions = {}): Promise<StepOutcome> {
  return runStep(jobId, opts, (ctx) => withLaunchLock(jobId, (lease) => launchLocked(jobId, ctx, lease)));
}
