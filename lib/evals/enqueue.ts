// Handing runs to the worker. The payload is the run id only; everything else is read from the
// database when the job runs. One job per run (the queue is "exclusive" per singleton key).
import { enqueue, QUEUES } from '../jobs/queue';

export interface EvalRunPayload {
  runId: number;
}

export const EVAL_QUEUE = QUEUES.evalRun;

export function enqueueEvalRun(runId: number): Promise<string | null> {
  return enqueue(QUEUES.evalRun, { runId } satisfies EvalRunPayload, { singletonKey: `eval-${runId}` });
}
