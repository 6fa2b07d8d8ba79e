// The Postgres-backed job queue (pg-boss, in schema "pgboss" of the Studio's database). Long
// work never runs in a request: pages and CLIs enqueue here and the worker runs the jobs.
import { PgBoss, type QueuePolicy, type SendOptions } from 'pg-boss';
import { queuePoolMax } from '../db/connection-budget';

export const QUEUES = {
  datasetBuild: 'dataset-build',
  fineTuneLaunch: 'finetune-launch',
  fineTunePoll: 'finetune-poll',
  evalRun: 'eval-run',
  suggestions: 'suggestions',
  conversationImport: 'conversation-import',
  advisorRetrain: 'advisor-retrain',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

// Per-queue retry and liveness policy. heartbeatSeconds lets pg-boss notice a killed worker
// within a minute and hand the job to another one instead of waiting for expiry.
// The fine-tune queues are "stately" and their jobs carry one singleton key per run: at most
// one copy waits and one runs per run, so re-queueing (a poll queueing the next, the worker's
// start-up sweep) never piles up duplicates. Their provider trouble is retried by the steps
// themselves (lib/finetunes/step.ts: backoff within a time budget, re-queued with a delay);
// the retries here only take a step up again after a crash or a database outage.
export const QUEUE_OPTIONS: Record<
  QueueName,
  {
    retryLimit: number;
    retryDelay: number;
    retryBackoff: boolean;
    retryDelayMax?: number;
    heartbeatSeconds?: number;
    expireInSeconds?: number;
    policy?: QueuePolicy;
  }
> = {
  [QUEUES.datasetBuild]: { retryLimit: 2, retryDelay: 5, retryBackoff: true, retryDelayMax: 60, heartbeatSeconds: 30, expireInSeconds: 3600 },
  [QUEUES.fineTuneLaunch]: {
    retryLimit: 10,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 60,
    heartbeatSeconds: 30,
    expireInSeconds: 3600,
    policy: 'stately',
  },
  [QUEUES.fineTunePoll]: {
    retryLimit: 10,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 60,
    heartbeatSeconds: 30,
    expireInSeconds: 600,
    policy: 'stately',
  },
  // Evals: one job per run ("exclusive": a second send while one waits or runs is dropped). A
  // retried job resumes the run where it stopped (predictions are idempotent per example).
  [QUEUES.evalRun]: {
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    retryDelayMax: 120,
    heartbeatSeconds: 30,
    expireInSeconds: 6 * 3600,
    policy: 'exclusive',
  },
  // Suggestions (lib/suggestions): the work lives in suggestion_requests, a job only works through
  // it for a while, so one waiting copy is enough ("stately" with one singleton key).
  [QUEUES.suggestions]: { retryLimit: 5, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, heartbeatSeconds: 30, expireInSeconds: 900, policy: 'stately' },
  // Browser imports (lib/imports/uploads): one job per upload; a crashed attempt rolled back,
  // so the retry starts the same import over.
  [QUEUES.conversationImport]: { retryLimit: 2, retryDelay: 5, retryBackoff: true, retryDelayMax: 60, heartbeatSeconds: 30, expireInSeconds: 3600 },
  // Retrain with new labels (lib/advisor/retrain.ts): build the next dataset version, then record
  // and queue the fine-tune. One job per retrain; a retried one finds what it already did.
  [QUEUES.advisorRetrain]: {
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    retryDelayMax: 120,
    heartbeatSeconds: 30,
    expireInSeconds: 3600,
    policy: 'exclusive',
  },
};

export const WORKER_INSTANCE_NAME = 'worker';

const globalForBoss = globalThis as unknown as { studioBoss?: Promise<PgBoss> };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

async function startBoss(role: 'client' | 'worker'): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl(),
    // Only the worker supervises (expiry, retention) and schedules; web processes just send.
    supervise: role === 'worker',
    schedule: role === 'worker',
    // PGBOSS_POOL_MAX (worker 6, others 2; lib/db/connection-budget.ts). No LISTEN/NOTIFY
    // (useListenNotify stays off): workers poll, which also works behind PgBouncer in transaction mode.
    max: queuePoolMax(role),
    // pg-boss's instance registry (schema pgboss, table instance) is how /api/health of any web
    // process learns that a worker is alive: a worker beats every 5 s and reads as gone after 15 s.
    instanceName: role === 'worker' ? WORKER_INSTANCE_NAME : 'client',
    instanceHeartbeatSeconds: role === 'worker' ? 5 : 30,
  });
  // One line per error: while the database restarts, every polling worker reports each failed
  // fetch, and pg-boss carries on by itself once it is back.
  boss.on('error', (e) => console.error(`[queue] ${(e as Error).message ?? String(e)}`.split('\n')[0]));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    await boss.createQueue(name, QUEUE_OPTIONS[name]);
  }
  return boss;
}

/** The process's queue client (web server, CLI). */
export function jobQueue(): Promise<PgBoss> {
  globalForBoss.studioBoss ??= startBoss('client').catch((e) => {
    globalForBoss.studioBoss = undefined;
    throw e;
  });
  return globalForBoss.studioBoss;
}

export function workerQueue(): Promise<PgBoss> {
  globalForBoss.studioBoss ??= startBoss('worker');
  return globalForBoss.studioBoss;
}

export async function enqueue(name: QueueName, data: object, options: SendOptions = {}): Promise<string | null> {
  const boss = await jobQueue();
  return boss.send(name, data, options);
}

export async function stopQueue(): Promise<void> {
  const boss = await globalForBoss.studioBoss?.catch(() => null);
  globalForBoss.studioBoss = undefined;
  await boss?.stop({ graceful: true, timeout: 10_000 });
}
