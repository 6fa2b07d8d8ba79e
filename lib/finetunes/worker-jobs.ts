// The fine-tune queues' handlers (registered in lib/jobs/worker.ts), the start-up sweep that
// picks every unfinished run up again after a restart, and an in-process driver with the same
// retry policy for the CLI's --wait and the tests.
import type { Job } from 'pg-boss';
import { z } from 'zod';
import { db } from '../db';
import { QUEUE_OPTIONS, QUEUES } from '../jobs/queue';
import { enqueueFineTuneLaunch, enqueueFineTunePoll, POLL_INTERVAL_SECONDS } from './enqueue';
import { runFineTuneLaunch } from './launch-job';
import { runFineTunePoll } from './poll-job';
import { TERMINAL_STATUSES } from './status';
import type { StepOptions, StepOutcome } from './step';

export { runFineTuneLaunch } from './launch-job';
export { runFineTunePoll } from './poll-job';
export type { StepOutcome } from './step';

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

/** `finetune-launch`: launch, then hand the run to the poller. Throws to have pg-boss retry. */
export async function handleFineTuneLaunch(job: Job<unknown>, log: Log = () => {}): Promise<StepOutcome | null> {
  const jobId = payloadOf(job, log);
  if (jobId === null) return null;
  const out = await runFineTuneLaunch(jobId, { finalAttempt: job.retryCount >= QUEUE_OPTIONS[QUEUES.fineTuneLaunch].retryLimit });
  log(describeOutcome(out));
  if (out.needsPoll) await enqueueFineTunePoll(jobId, 0);
  return out;
}

/** `finetune-poll`: one poll; until the run is finished it queues the next one. */
export async function handleFineTunePoll(job: Job<unknown>, log: Log = () => {}): Promise<StepOutcome | null> {
  const jobId = payloadOf(job, log);
  if (jobId === null) return null;
  const out = await runFineTunePoll(jobId, { finalAttempt: job.retryCount >= QUEUE_OPTIONS[QUEUES.fineTunePoll].retryLimit });
  if (out.needsPoll) await enqueueFineTunePoll(jobId);
  else log(describeOutcome(out));
  return out;
}

/**
 * On worker start: queue a launch for every run still pending and a poll for every unfinished
 * run on a provider. Copies already waiting collapse into one (singleton keys).
 */
export async function resumeFineTunes(): Promise<{ launches: number; polls: number }> {
  const open = await db().fineTuneJob.findMany({
    where: { status: { notIn: [...TERMINAL_STATUSES] } },
    select: { id: true, providerJobId: true },
    orderBy: { id: 'asc' },
  });
  let launches = 0;
  let polls = 0;
  for (const r of open) {
    if (r.providerJobId) {
      await enqueueFineTunePoll(r.id, 0);
      polls++;
    } else {
      await enqueueFineTuneLaunch(r.id);
      launches++;
    }
  }
  return { launches, polls };
}

export interface InProcessOptions {
  /** Called after every step with where the run is. */
  onStep?: (o: StepOutcome, step: 'launch' | 'poll') => void | Promise<void>;
  /** Called before a retry with the error and the wait. */
  onRetry?: (e: Error, waitMs: number, attempt: number) => void;
  /** Stops waiting (the run itself goes on wherever it is). */
  signal?: AbortSignal;
  /** Defaults: the queue's policy (2 s doubling to 60 s, 10 retries) and the poll interval. */
  retryLimit?: number;
  retryDelayMs?: number;
  retryDelayMaxMs?: number;
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
 * Runs a run's launch and then polls it until it finishes, in this process, with the queue's
 * retry policy (capped exponential backoff with jitter, as pg-boss computes it). Idempotent
 * like the handlers, so a worker processing the same run meanwhile does no harm.
 */
export async function processFineTuneInProcess(jobId: number, opts: InProcessOptions = {}): Promise<StepOutcome> {
  const policy = QUEUE_OPTIONS[QUEUES.fineTuneLaunch];
  const retryLimit = opts.retryLimit ?? policy.retryLimit;
  const base = opts.retryDelayMs ?? policy.retryDelay * 1000;
  const max = opts.retryDelayMaxMs ?? (policy.retryDelayMax ?? 60) * 1000;
  const withRetries = async (step: (o: StepOptions) => Promise<StepOutcome>): Promise<StepOutcome> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step({ finalAttempt: attempt >= retryLimit });
      } catch (e) {
        if (attempt >= retryLimit) throw e;
        const n = 2 ** Math.min(16, attempt + 1) / 2;
        const wait = Math.min(max, base * (n + n * Math.random()));
        opts.onRetry?.(e as Error, wait, attempt + 1);
        await sleep(wait, opts.signal);
      }
    }
  };
  let out = await withRetries((o) => runFineTuneLaunch(jobId, o));
  await opts.onStep?.(out, 'launch');
  while (out.needsPoll) {
    await sleep(opts.pollIntervalMs ?? POLL_INTERVAL_SECONDS * 1000, opts.signal);
    out = await withRetries((o) => runFineTunePoll(jobId, o));
    await opts.onStep?.(out, 'poll');
  }
  return out;
}
