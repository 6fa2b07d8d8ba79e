// What every provider-facing step does with a failure. Transient trouble (408/409/429, 5xx,
// timeouts, an unreachable trainer, a database hiccup) is retried for a time, not a number of
// attempts: the run keeps its failure streak (failing_since, failed_attempts), so the budget
// (FINETUNE_RETRY_BUDGET_MS, 30 min) runs from the streak's first failure even across worker
// restarts. Each failure within the budget is noted on the run as "Retrying: …" and thrown as
// a FineTuneRetry saying when to try again (lib/retry's backoff, or the provider's
// retry-after). A final provider answer (400/401/403/404 …), or a failure once the budget is
// spent, fails the run with the provider's message. A step that succeeds ends the streak. The
// status never goes backwards.
import { db } from '../db';
import type { FineTuneJob } from '../generated/prisma/client';
import { decideRetry, formatDuration, retryAfterOfError, type BackoffPolicy } from '../retry';
import { FineTuneProviderError } from './errors';
import { describeProviderError, type ProviderHandle } from './providers';
import { FINETUNE_BACKOFF, retryBudgetMs } from './retry-settings';
import { isTerminal, TERMINAL_STATUSES, type FineTuneStatus } from './status';

export interface StepOutcome {
  jobId: number;
  status: FineTuneStatus | 'missing';
  providerJobId: string | null;
  /** On the provider and not finished: poll it again. */
  needsPoll: boolean;
}

export interface StepOptions {
  /** How long a failure streak is retried (default FINETUNE_RETRY_BUDGET_MS, 30 min). */
  retryBudgetMs?: number;
  /** The waits between attempts (default FINETUNE_BACKOFF: 2 s doubling to 30 s). */
  backoff?: BackoffPolicy;
  /** The clock the budget is measured with (tests). */
  now?: () => number;
}

/** A transient failure still inside the budget: try the step again in `retryInMs`. */
export class FineTuneRetry extends FineTuneProviderError {
  constructor(
    message: string,
    status: number | undefined,
    readonly retryInMs: number,
    /** Failed attempts in this streak so far. */
    readonly attempt: number,
  ) {
    super(message, true, status);
    this.name = 'FineTuneRetry';
  }
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
    data: { status: 'failed', error: message, finishedAt: new Date(), failingSince: null, failedAttempts: 0 },
  });
  return outcomeOf(await loadRun(jobId), jobId);
}

function describe(e: unknown, ctx: StepContext): { message: string; transient: boolean; status?: number } {
  const pe = ctx.handle ? describeProviderError(e, ctx.handle) : e instanceof FineTuneProviderError ? e : null;
  if (pe) return { message: pe.message, transient: pe.transient, status: pe.status };
  return { message: (e as Error)?.message ?? String(e), transient: true, status: (e as { status?: number })?.status };
}

/** Adds this failure to the run's streak (starting one if none is open); null when the run has ended. */
async function recordFailure(jobId: number, message: string, nowMs: number): Promise<{ sinceMs: number; attempts: number } | null> {
  const open = { id: jobId, status: { notIn: [...TERMINAL_STATUSES] } };
  await db().fineTuneJob.updateMany({ where: { ...open, failingSince: null }, data: { failingSince: new Date(nowMs), failedAttempts: 0 } });
  const { count } = await db().fineTuneJob.updateMany({ where: open, data: { failedAttempts: { increment: 1 }, error: `Retrying: ${message}` } });
  if (count === 0) return null;
  const run = await db().fineTuneJob.findUnique({ where: { id: jobId }, select: { failingSince: true, failedAttempts: true } });
  return run?.failingSince ? { sinceMs: run.failingSince.getTime(), attempts: run.failedAttempts } : null;
}

async function endStreak(jobId: number): Promise<void> {
  await db().fineTuneJob.updateMany({ where: { id: jobId, failingSince: { not: null } }, data: { failingSince: null, failedAttempts: 0 } });
}

export async function runStep(jobId: number, opts: StepOptions, body: (ctx: StepContext) => Promise<StepOutcome>): Promise<StepOutcome> {
  const ctx: StepContext = {};
  let out: StepOutcome;
  try {
    out = await body(ctx);
  } catch (e) {
    const { message, transient, status } = describe(e, ctx);
    if (!transient) return failRun(jobId, message);
    const now = opts.now ?? Date.now;
    const budgetMs = opts.retryBudgetMs ?? retryBudgetMs();
    // If even this cannot be written (the database is down), the error goes to the queue,
    // whose own retries take the step up again once it is back.
    const streak = await recordFailure(jobId, message, now());
    if (!streak) return outcomeOf(await loadRun(jobId), jobId);
    const next = decideRetry(streak, { nowMs: now(), budgetMs, backoff: opts.backoff ?? FINETUNE_BACKOFF, retryAfterMs: retryAfterOfError(e) });
    if (!next.retry) {
      return failRun(jobId, `${message} (gave up after ${streak.attempts} attempt${streak.attempts === 1 ? '' : 's'} over ${formatDuration(next.elapsedMs)}: the retry budget, FINETUNE_RETRY_BUDGET_MS, is ${formatDuration(budgetMs)})`);
    }
    throw new FineTuneRetry(message, status, next.delayMs, streak.attempts);
  }
  await endStreak(jobId);
  return out;
}
