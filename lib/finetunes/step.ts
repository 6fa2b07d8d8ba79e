// What every provider-facing step does with a failure. Transient trouble (429, 5xx, timeouts,
// an unreachable trainer, a database hiccup) is noted on the run as "Retrying: …" and thrown,
// so the queue tries again with backoff; a final provider answer (400/401/403/404 …) or the
// last allowed attempt fails the run with the message. The status never goes backwards.
import { db } from '../db';
import type { FineTuneJob } from '../generated/prisma/client';
import { FineTuneProviderError } from './errors';
import { describeProviderError, type ProviderHandle } from './providers';
import { isTerminal, TERMINAL_STATUSES, type FineTuneStatus } from './status';

export interface StepOutcome {
  jobId: number;
  status: FineTuneStatus | 'missing';
  providerJobId: string | null;
  /** On the provider and not finished: poll it again. */
  needsPoll: boolean;
}

export interface StepOptions {
  /** The queue will not retry after this attempt: a transient failure fails the run. */
  finalAttempt?: boolean;
}

/** Where a step keeps the provider it talks to, so a failure can be described in its terms. */
export interface StepContext {
  handle?: ProviderHandle;
}

export function outcomeOf(job: Pick<FineTuneJob, 'id' | 'status' | 'providerJobId'> | null, jobId: number): StepOutcome {
  if (!job) return { jobId, status: 'missing', providerJobId: null, needsPoll: false };
  return { jobId: job.id, status: job.status, providerJobId: job.providerJobId, needsPoll: Boolean(job.providerJobId) && !isTerminal(job.status) };
}

export async function loadRun(jobId: number) {
  return db().fineTuneJob.findUnique({ where: { id: jobId } });
}

export async function failRun(jobId: number, message: string): Promise<StepOutcome> {
  await db().fineTuneJob.updateMany({
    where: { id: jobId, status: { notIn: [...TERMINAL_STATUSES] } },
    data: { status: 'failed', error: message, finishedAt: new Date() },
  });
  return outcomeOf(await loadRun(jobId), jobId);
}

function describe(e: unknown, ctx: StepContext): { message: string; transient: boolean } {
  const pe = ctx.handle ? describeProviderError(e, ctx.handle) : e instanceof FineTuneProviderError ? e : null;
  if (pe) return { message: pe.message, transient: pe.transient };
  return { message: (e as Error)?.message ?? String(e), transient: true };
}

export async function runStep(jobId: number, opts: StepOptions, body: (ctx: StepContext) => Promise<StepOutcome>): Promise<StepOutcome> {
  const ctx: StepContext = {};
  try {
    return await body(ctx);
  } catch (e) {
    const { message, transient } = describe(e, ctx);
    if (!transient || opts.finalAttempt) return failRun(jobId, message);
    await db()
      .fineTuneJob.updateMany({ where: { id: jobId, status: { notIn: [...TERMINAL_STATUSES] } }, data: { error: `Retrying: ${message}` } })
      .catch(() => {});
    throw new FineTuneProviderError(message, true, e instanceof FineTuneProviderError ? e.status : (e as { status?: number })?.status);
  }
}
