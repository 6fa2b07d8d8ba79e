// The `finetune-launch` step: upload the version's files, then create the provider job, each
// result recorded as soon as it exists so a retry resumes where the last attempt stopped.
// Creating is guarded twice: one launcher per run at a time (job-lock.ts), and before any
// create we look for a provider job this run already created (by the idempotency key sent as
// metadata, or the training file uploaded for this run alone) — which is what keeps a launcher
// killed between "created" and "recorded" from creating a second. The provider is reached
// through its adapter (providers/), the same code path for every trainer.
import { createHash } from 'node:crypto';
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

/** A split's JSONL streamed from the database to `tmp` (bounded memory), hashed on the way: its md5 and size. */
async function writeSplit(versionId: number, file: 'train.jsonl' | 'validation.jsonl', tmp: string): Promise<{ md5: string; bytes: number }> {
  const md5 = createHash('md5');
  let bytes = 0;
  async function* hashed() {
    for await (const chunk of exportFileChunks(versionId, file)) {
      md5.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(hashed()), createWriteStream(tmp, { highWaterMark: 1024 * 1024 }));
  return { md5: md5.digest('hex'), bytes };
}

const secs = (ms: number) => (ms / 1000).toFixed(2);

/**
 * Streams the split's JSONL to a temp file, then uploads it from disk — in parts when it is
 * over the Files API's limit (openai-protocol.ts) — recording the progress. The md5 the
 * Uploads API asks for is taken while the file is written, so the upload reads it only once.
 * The log line times the two apart: the write is the export's work (bounded by the database),
 * the upload is the provider's.
 */
async function uploadSplit(
  ctx: RequestRunner,
  adapter: FineTuneAdapter,
  jobId: number,
  versionId: number,
  file: 'train.jsonl' | 'validation.jsonl',
  log: (line: string) => void,
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-finetune-'));
  let recorded = Promise.resolve();
  const status = (text: string) => {
    // In order and never concurrent; a pending run only (the provider job has not been created).
    recorded = recorded.then(() => db().fineTuneJob.updateMany({ where: { id: jobId, providerJobId: null }, data: { providerStatus: text } })).then(() => {});
  };
  try {
    const tmp = path.join(dir, file);
    status(`writing ${file} from the database`);
    const t0 = performance.now();
    const written = await writeSplit(versionId, file, tmp);
    const t1 = performance.now();
    const id = await adapter.uploadFile(ctx, { path: tmp, name: file, md5: written.md5 }, (p) => status(uploadProgressText(p)));
    const t2 = performance.now();
    const mb = (written.bytes / MB).toFixed(1);
    log(`fine-tune ${jobId}: ${file} (${mb} MB) written from the database in ${secs(t1 - t0)} s, uploaded in ${secs(t2 - t1)} s as ${id}`);
    await recorded;
    return id;
  } finally {
    await recorded.catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

async function cancelBeforeProvider(jobId: number): Promise<StepOutcome> {
  await db().fineTuneJob.updateMany({ where: { id: jobId, status: 'pending' }, data: { status: 'cancelled', finishedAt: new Date(), error: null } });
  return outcomeOf(await loadRun(jobId), jobId);
}

async function launchLocked(jobId: number, ctx: StepContext, lease: HeldLease, log: (line: string) => void): Promise<StepOutcome> {
  let run = await loadRun(jobId);
  if (!run || run.status !== 'pending' || run.providerJobId) return outcomeOf(run, jobId);
  if (run.cancelRequested) return cancelBeforeProvider(jobId);

  const adapter = await fineTuneAdapter(run.provider);
  ctx.handle = adapter.handle;

  if (!run.trainingFileId) {
    const id = await uploadSplit(ctx, adapter, jobId, run.datasetVersionId, 'train.jsonl', log);
    run = await db().fineTuneJob.update({ where: { id: jobId }, data: { trainingFileId: id } });
  }
  if (!run.validationFileId && (await hasValidationExamples(run.datasetVersionId))) {
    const id = await uploadSplit(ctx, adapter, jobId, run.datasetVersionId, 'validation.jsonl', log);
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

/** One attempt of `finetune-launch` for run `jobId` (idempotent; see runStep for failures). `log` gets a line per file uploaded. */
export function runFineTuneLaunch(jobId: number, opts: StepOptions = {}, log: (line: string) => void = () => {}): Promise<StepOutcome> {
  return runStep(jobId, opts, (ctx) => withLaunchLock(jobId, (lease) => launchLocked(jobId, ctx, lease, log)));
}
