// Handing runs to the worker. Payloads carry the run id only: everything else (and above all
// any key) is read from the database and the environment when the job runs.
import { enqueue, QUEUES } from '../jobs/queue';

export interface FineTuneJobPayload {
  jobId: number;
}

/** Seconds before the first poll of a run whose schedule is unknown (the poll backoff then sets it: retry-settings.ts). */
export const POLL_INTERVAL_SECONDS = 2;

export function enqueueFineTuneLaunch(jobId: number, delaySeconds = 0): Promise<string | null> {
  // Same key for every copy: the queue's stately policy keeps one waiting and one running.
  return enqueue(QUEUES.fineTuneLaunch, { jobId } satisfies FineTuneJobPayload, {
    singletonKey: `finetune-${jobId}`,
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
}

export function enqueueFineTunePoll(jobId: number, delaySeconds = POLL_INTERVAL_SECONDS): Promise<string | null> {
  return enqueue(QUEUES.fineTunePoll, { jobId } satisfies FineTuneJobPayload, {
    singletonKey: `finetune-${jobId}`,
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
}
