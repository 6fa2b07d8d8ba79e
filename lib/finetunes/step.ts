// What every provider-facing step does with a failure. Transient trouble (408/409/429, 5xx,
// timeouts, an unreachable trainer, a database hiccup) is retried for a time, not a number of
// attempts: the run keeps its failure streak (failing_since, failed_attempts), so the budget
// (FINETUNE_RETRY_BUDGET_MS, 30 min) runs from the streak's first failure even across worker
// restarts. A provider request made through `ctx.request` is first retried in place while the
// waits are short (a step makes several requests; starting it over for each failure would
// multiply the odds against it); after that — or for a failure outside `ctx.request` — the
// failure is noted on the run as "Retrying: …" and thrown as a FineTuneRetry saying when to
// try the step again (lib/retry's backoff, or the provider's retry-after). A final provider
// answer (400/401/403/404 …), or a failure once the budget is spent, fails the run with the
// provider's message. A step that succeeds ends the streak. The status never goes backwards.
import { db } from '../db';
import type { FineTuneJob } from '../generated/prisma/client';
import { decideRetry, formatDuration, retryAfterOfError, type BackoffPolicy } from '../retry';
import { FineTuneProviderError } from './errors';
import { describeProviderError, type ProviderRef } from './providers/errors';
import { FINETUNE_BACKOFF, retryBudgetMs } from './retry-settings';
import { isTerminal, TERMINAL_STATUSES, type FineTuneStatus } from './status';

export interface StepOutcome {
  jobId: number;
  status: FineTuneStatus | 'missing';
  providerJobId: string | null;
  /** On the provider and not finished: poll it again … */
  needsPoll: boolean;
  /** … this much later (the run's persisted next poll time; 0 = now). */
  nextPollInMs: number;
}

export interface StepOptions {
  /** How long a failure streak is retried (default FINETUNE_RETRY_BUDGET_MS, 30 min). */
  retryBudgetMs?: number;
  /** The waits between attempts (default FINETUNE_BACKOFF: 2 s doubling to 30 s). */
  backoff?: BackoffPolicy;
  /** The clock the budget is measured with (tests). */
  now?: () => number;
  /** Called before each wait of a request retried in place, with the failure, the wait and the streak's failed attempts. */
  onRetry?: (e: Error, waitMs: number, attempt: number) => unknown;
  /**
   * A poll that arrives before the run's next poll time (a duplicate job, a restart's sweep)
   * does not call the provider, and says how long to wait instead. The queue handler sets it;
   * direct callers (the CLI's --wait, a cancel, tests) poll now.
   */
  respectSchedule?: boolean;
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

/** Retries of one request in place (each waiting at most IN_PLACE_MAX_WAIT_MS) before the step is handed back. */
const IN_PLACE_RETRIES = 3;
const IN_PLACE_MAX_WAIT_MS = 10_000;

export interface StepContext {
  /** The provider the step talks to, so a failure can be described in its terms. */
  handle?: ProviderRef;
  /**
   * One provider request that is safe to repeat (a read, an upload), retried in place on
   * transient trouble. Not for creating a job: a create that timed out may have happened, and
   * only the step's own retry looks for it before creating again.
   */
  request<T>(fn: () => Promise<T>): Promise<T>;
}

export function outcomeOf(job: Pick<FineTuneJob, 'id' | 'status' | 'providerJobId' | 'nextPollAt'> | null, jobId: number, nowMs = Date.now()): StepOutcome {
  if (!job) return { jobId, status: 'missing', providerJobId: null, needsPoll: false, nextPollInMs: 0 };
  const needsPoll = Boolean(job.providerJobId) && !isTerminal(job.status);
  return {
    jobId: job.id,
    status: job.status,
    providerJobId: job.providerJobId,
    needsPoll,
    nextPollInMs: needsPoll && job.nextPollAt ? Math.max(0, job.nextPollAt.getTime() - nowMs) : 0,
  };
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

type Verdict =
  | { kind: 'fail'; message: string }
  | { kind: 'ended' }
  | { kind: 'retry'; message: string; status?: number; delayMs: number; inPlaceDelayMs: number; attempt: number };

/** A failure already judged inside the step (by ctx.request), passed on to runStep. */
class Judged extends Error {
  constructor(readonly verdict: Verdict) {
    super(verdict.kind === 'ended' ? 'the run has ended' : verdict.message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Records a failure in the run's streak and decides: fail, stop (the run ended meanwhile), or
 * retry after a wait — `delayMs` for the step (from the streak's attempts), `inPlaceDelayMs`
 * for a request retried in place (from that request's own attempts: the step made progress).
 */
async function judge(jobId: number, e: unknown, ctx: StepContext, opts: StepOptions, requestAttempt?: number): Promise<Verdict> {
  const { message, transient, status } = describe(e, ctx);
  if (!transient) return { kind: 'fail', message };
  const now = opts.now ?? Date.now;
  const budgetMs = opts.retryBudgetMs ?? retryBudgetMs();
  // If even this cannot be written (the database is down), the error goes to the queue,
  // whose own retries take the step up again once it is back.
  const streak = await recordFailure(jobId, message, now());
  if (!streak) return { kind: 'ended' };
  const how = { nowMs: now(), budgetMs, backoff: opts.backoff ?? FINETUNE_BACKOFF, retryAfterMs: retryAfterOfError(e) };
  const next = decideRetry(streak, how);
  if (!next.retry) {
    return {
      kind: 'fail',
      message: `${message} (gave up after ${streak.attempts} attempt${streak.attempts === 1 ? '' : 's'} over ${formatDuration(next.elapsedMs)}: the retry budget, FINETUNE_RETRY_BUDGET_MS, is ${formatDuration(budgetMs)})`,
    };
  }
  const inPlace = decideRetry({ ...streak, attempts: requestAttempt ?? streak.attempts }, how);
  return { kind: 'retry', message, status, delayMs: next.delayMs, inPlaceDelayMs: inPlace.retry ? inPlace.delayMs : next.delayMs, attempt: streak.attempts };
}

export async function runStep(jobId: number, opts: StepOptions, body: (ctx: StepContext) => Promise<StepOutcome>): Promise<StepOutcome> {
  const ctx: StepContext = {
    async request(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (e) {
          const v = await judge(jobId, e, ctx, opts, attempt);
          if (v.kind !== 'retry' || attempt > IN_PLACE_RETRIES || v.inPlaceDelayMs > IN_PLACE_MAX_WAIT_MS) throw new Judged(v);
          await opts.onRetry?.(new FineTuneRetry(v.message, v.status, v.inPlaceDelayMs, v.attempt), v.inPlaceDelayMs, v.attempt);
          await sleep(v.inPlaceDelayMs);
        }
      }
    },
  };
  let out: StepOutcome;
  try {
    out = await body(ctx);
  } catch (e) {
    const v = e instanceof Judged ? e.verdict : await judge(jobId, e, ctx, opts);
    if (v.kind === 'fail') return failRun(jobId, v.message);
    if (v.kind === 'ended') return outcomeOf(await loadRun(jobId), jobId);
    throw new FineTuneRetry(v.message, v.status, v.delayMs, v.attempt);
  }
  await endStreak(jobId);
  return out;
}
