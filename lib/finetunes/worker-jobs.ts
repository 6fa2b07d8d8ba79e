// The fine-tune queues' handlers (registered in lib/jobs/worker.ts), the start-up sweep that
// picks every unfinished run up again after a restart, and an in-process driver with the same
// retry policy for the CLI's --wait and the tests. The policy itself is step.ts's: a transient
// failure comes back as a FineTuneRetry saying when to try again; the handlers queue the step
// for then, the in-process driver sleeps.
import type { Job } from 'pg-boss';
import { z } from 'zod';
import { db } from '../db';
import { enqueueFineTuneLaunch, enqueueFineTunePoll } from './enqueue';
import { runFineTuneLaunch } from './launch-job';
import { runFineTunePoll } from './poll-job';
import { TERMINAL_STATUSES } from './status';
import { FineTuneRetry, type StepOptions, type StepOutcome } from './step';

export { runFineTuneLaunch } from './launch-job';
export { runFineTunePoll } from './poll-job';
export { FineTuneRetry, type StepOutcome } from './step';

const payloadSchema = z.object({ jobId: z.number().int().positive() });
type Log = (line: string) => void;

function payloadOf(job: Job<unknown>, log: Log): number | null {
  const p = payloadSchema.safeParse(job.data);
  if (!p.success) log(`${job.name} ${job.id}: ignoring a payload without a run id`);
  return p.success ? p.data.jobId : null;
}

function describeOutcome(o: StepOutcome): string {
  return `fine-tune ${o.jobId}: ${o.status}${o.providerJobId ? ` (${o.providerJobId})` : ''}`;
}

/**
 * A transient failure inside the retry budget: queue the step again after the wait the
 * backoff (or the provider's retry-after) asks for, and finish this job. Anything else is
 * thrown, so pg-boss retries it (a database outage) or records it.
 */
async function retryLater(e: unknown, jobId: number, requeue: (delaySeconds: number) => Promise<unknown>, log: Log): Promise<null> {
  if (!(e instanceof FineTuneRetry)) throw e;
  await requeue(Math.ceil(e.retryInMs / 1000));
  log(`fine-tune ${jobId}: attempt ${e.attempt} failed, retrying in ${(e.retryInMs / 1000).toFixed(1)} s: ${e.message}`);
  return null;
}

/** `finetune-launch`: launch, then hand the run to the poller. */
export async function handleFineTuneLaunch(job: Job<unknown>, log: Log = () => {}, opts: StepOptions = {}): Promise<StepOutcome | null> {
  const jobId = payloadOf(job, log);
  if (jobId === null) return null;
  let out: StepOutcome;
  try {
    out = await runFineTuneLaunch(jobId, opts, log);
  } catch (e) {
    return retryLater(e, jobId, (delay) => enqueueFineTuneLaunch(jobId, delay), log);
  }
  log(describeOutcome(out));
  if (out.needsPoll) await enqueueFineTunePoll(jobId, 0);
  return out;
}

/** `finetune-poll`: one poll; until the run is finished it queues the next one. */
export async function handleFineTunePoll(job: Job<unknown>, log: Log = () => {}, opts: StepOptions = {}): Promise<StepOutcome | null> {
  const jobId = payloadOf(job, log);
  if (jobId === null) return null;
  let out: StepOutcome;
  try {
    out = await runFineTunePoll(jobId, { respectSchedule: true, ...opts });
  } catch (e) {
    return retryLater(e, jobId, (delay) => enqueueFineTunePoll(jobId, delay), log);
  }
  // The next poll at the run's persisted time (the poll's backoff: 2 s doubling while nothing changes).
  if (out.needsPoll) await enqueueFineTunePoll(jobId, Math.ceil(out.nextPollInMs / 1000));
  else log(describeOutcome(out));
  return out;
}

/**
 * On worker start: queue a launch for every run still pending and a poll for every unfinished
 * run on a provider, at the run's next poll time (so a restart keeps the backoff). Copies
 * already waiting collapse into one (singleton keys).
 */
export async function resumeFineTunes(): Promise<{ launches: number; polls: number }> {
  const open = await db().fineTuneJob.findMany({
    where: { status: { notIn: [...TERMINAL_STATUSES] } },
    select: { id: true, providerJobId: true, nextPollAt: true },
    orderBy: { id: 'asc' },
  });
  let launches = 0;
  let polls = 0;
  const now = Date.now();
  for (const r of open) {
    if (r.providerJobId) {
      await enqueueFineTunePoll(r.id, r.nextPollAt ? Math.max(0, Math.ceil((r.nextPollAt.getTime() - now) / 1000)) : 0);
      polls++;
    } else {
      await enqueueFineTuneLaunch(r.id);
      launches++;
    }
  }
  return { launches, polls };
}

export interface InProcessOptions extends StepOptions {
  /** Called after every step with where the run is. */
  onStep?: (o: StepOutcome, step: 'launch' | 'poll') => void | Promise<void>;
  /** Stops waiting (the run itself goes on wherever it is). */
  signal?: AbortSignal;
  /** A fixed wait between polls (tests); default: the run's persisted next poll time (the poll backoff). */
  pollIntervalMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/**
 * Runs a run's launch and then polls it until it finishes, in this process, with the same
 * retry policy as the queue (the steps decide: backoff within the time budget, the streak kept
 * on the run). Idempotent like the handlers, so a worker processing the same run meanwhile
 * does no harm.
 */
export async function processFineTuneInProcess(jobId: number, opts: InProcessOptions = {}): Promise<StepOutcome> {
  // onRetry hears every retry: of a request in place (from the step) and of a step (here).
  const { onStep, signal, pollIntervalMs, ...stepOptions } = opts;
  const { onRetry } = opts;
  const withRetries = async (step: (o: StepOptions) => Promise<StepOutcome>): Promise<StepOutcome> => {
    for (;;) {
      try {
        return await step(stepOptions);
      } catch (e) {
        if (!(e instanceof FineTuneRetry)) throw e;
        await onRetry?.(e, e.retryInMs, e.attempt);
        await sleep(e.retryInMs, signal);
      }
    }
  };
  let out = await withRetries((o) => runFineTuneLaunch(jobId, o));
  await onStep?.(out, 'launch');
  while (out.needsPoll) {
    await sleep(pollIntervalMs ?? out.nextPollInMs, signal);
    out = await withRetries((o) => runFineTunePoll(jobId, o));
    await onStep?.(out, 'poll');
  }
  return out;
}
