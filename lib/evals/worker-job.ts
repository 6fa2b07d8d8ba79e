// The worker's side of evals: the `eval-run` handler and the start-up sweep.
import type { JobWithMetadata } from 'pg-boss';
import { db } from '../db';
import { enqueueEvalRun, type EvalRunPayload } from './enqueue';
import { ensureGoldenCompanion } from './golden-companion';
import { markEvalRunFailed, runEval } from './run-eval';

export type EvalRunJob = JobWithMetadata<EvalRunPayload>;

/**
 * Runs (or resumes) the job's eval run. A run that ends (succeeded or failed) completes the job.
 * Anything thrown (database trouble, a local trainer without a key yet, the worker stopping) is
 * rethrown so pg-boss retries the job and the run resumes where it stopped — except on the last
 * attempt, where the run is failed with the message so it does not stay "running" forever.
 */
export async function handleEvalRunJob(job: EvalRunJob, log: (line: string) => void): Promise<void> {
  const { runId } = job.data;
  log(`eval run ${runId}: ${job.retryCount ? `resuming (attempt ${job.retryCount + 1})` : 'starting'}`);
  // The golden score is a companion, not a precondition: if it cannot be set up (say the
  // golden file is broken), the run itself still goes ahead and the reason is logged.
  await ensureGoldenCompanion(runId).then(
    (c) => c?.created && log(`eval run ${runId}: golden-set run ${c.runId} queued beside it`),
    (e: unknown) => log(`eval run ${runId}: no golden-set run: ${(e as Error).message}`),
  );
  try {
    const r = await runEval(runId, { signal: job.signal, log });
    if (r.status === 'interrupted') throw new Error(`eval run ${runId} was interrupted at ${r.done}/${r.total}; it resumes on the next attempt`);
    log(
      `eval run ${runId}: ${r.status}${r.error ? ` (${r.error})` : ''}, ${r.done}/${r.total}${r.metrics?.accuracy != null ? `, accuracy ${r.metrics.accuracy.toFixed(4)}` : ''}`,
    );
  } catch (e) {
    if (job.retryCount >= job.retryLimit) {
      await markEvalRunFailed(runId, `gave up after ${job.retryCount + 1} attempts: ${(e as Error).message}`).catch(() => {});
      log(`eval run ${runId} failed: ${(e as Error).message}`);
      return;
    }
    throw e;
  }
}

/** Queued or running runs go (back) to the queue: a lost job must not leave a run stuck. */
export async function resumeEvalRuns(): Promise<number> {
  const runs = await db().evalRun.findMany({ where: { status: { in: ['queued', 'running'] } }, select: { id: true } });
  let sent = 0;
  for (const r of runs) if (await enqueueEvalRun(r.id)) sent++;
  return sent;
}
