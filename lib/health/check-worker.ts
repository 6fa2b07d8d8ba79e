import { jobQueue, WORKER_INSTANCE_NAME } from '../jobs/queue';
import { timed, type CheckResult } from './checks';

/**
 * Whether some worker process, on any host, is alive: pg-boss's instance registry holds a row
 * per worker that it refreshes every few seconds (lib/jobs/queue.ts), so this holds across
 * processes and machines. A killed worker reads as gone after three missed beats.
 */
export function checkWorker(timeoutMs: number): Promise<CheckResult> {
  return timed(timeoutMs, async () => {
    const boss = await jobQueue();
    const instances = (await boss.getInstances({ limit: 1000 })).filter((i) => i.name === WORKER_INSTANCE_NAME);
    const live = instances.filter((i) => i.live);
    const lastHeartbeatAt = instances.map((i) => i.heartbeatOn).sort((a, b) => +b - +a)[0] ?? null;
    const queues = [...new Set(live.flatMap((i) => i.workers.map((w) => w.queue)))].sort();
    return live.length
      ? { status: 'ok', workers: live.length, queues, lastHeartbeatAt }
      : {
          status: 'failing',
          workers: 0,
          lastHeartbeatAt,
          error: instances.length ? 'no worker has reported in the last three heartbeats' : 'no worker has ever started against this database',
        };
  });
}
