// The fine-tune queues through a real pg-boss worker: a launch queued by launchFineTune ends
// succeeded with nobody calling a handler by hand, payloads hold the run id only, and the
// start-up sweep queues each unfinished run once however often it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { stopQueue } from '../jobs/queue';
import { startWorker } from '../jobs/worker';
import { cancelFineTune } from './cancel-fine-tune';
import { launchFineTune } from './launch-fine-tune';
import { handleFineTuneLaunch, resumeFineTunes, runFineTuneLaunch } from './worker-jobs';
import { cancelActiveProviderJobs, FAST, mlLead, setFaults, startFineTuneWorld, TRAINER_KEY, type FineTuneWorld } from './test-fixtures';

// Successful runs here would start their evals (tested in lib/evals and e2e); their queued
// jobs would outlive this file in the shared database.
process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';

let world: FineTuneWorld;
beforeAll(async () => {
  world = await startFineTuneWorld();
});
afterAll(async () => {
  await stopQueue();
  await cancelActiveProviderJobs(world.client);
  await world?.close();
});

const queued = (name: string) =>
  db().$queryRawUnsafe<{ data: unknown; state: string; singleton_key: string }[]>(
    `SELECT data, state::text, singleton_key FROM pgboss.job WHERE name = $1 ORDER BY created_on`,
    name,
  );

async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the worker', () => {
  it('launches a queued run and polls it to succeeded; the queue payloads carry only the run id', async () => {
    const lines: string[] = [];
    await startWorker({ log: (l) => lines.push(l) });
    const { id } = await launchFineTune(mlLead, {
      datasetVersionId: world.versionId,
      provider: 'local',
      baseModel: 'local-base',
      nEpochs: 1,
      batchSize: 'auto',
      learningRateMultiplier: 'auto',
      suffix: 'worker',
    });
    const run = await waitFor(
      'run',
      () => db().fineTuneJob.findUniqueOrThrow({ where: { id } }),
      (r) => ['succeeded', 'failed', 'cancelled'].includes(r.status),
    );
    expect(run.status).toBe('succeeded');
    expect(run.fineTunedModel).toMatch(/^ft:local-base:local:worker:/);
    expect(await db().fineTuneMetric.count({ where: { jobId: id } })).toBeGreaterThan(0);

    const jobs = [...(await queued('finetune-launch')), ...(await queued('finetune-poll'))];
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    for (const j of jobs) expect(j.data).toEqual({ jobId: id });
    expect(JSON.stringify(jobs)).not.toContain(TRAINER_KEY);
    expect(lines.some((l) => l.includes(`fine-tune ${id}: succeeded`))).toBe(true);
    await stopQueue();
  });
});

describe('the queue handlers', () => {
  it('queue the step again after a backoff on transient trouble, and fail the run once the streak outlasts the time budget', async () => {
    const { id } = await launchFineTune(mlLead, { datasetVersionId: world.versionId, provider: 'local', baseModel: 'local-base' }, { enqueue: false });
    await db().$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name LIKE 'finetune-%'`);
    await setFaults(world.trainer, { '500': 1, paths: '^/v1/files' });
    try {
      const job = {
        id: 'pgboss-job',
        name: 'finetune-launch',
        data: { jobId: id },
        retryCount: 0,
        expireInSeconds: 60,
        heartbeatSeconds: 30,
        signal: new AbortController().signal,
      };
      const lines: string[] = [];
      // Each request is retried in place a few times first (10 ms waits here), then handed back.
      expect(await handleFineTuneLaunch(job, (l) => lines.push(l), FAST)).toBeNull();
      const retrying = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
      expect(retrying).toMatchObject({ status: 'pending', failedAttempts: 4, error: expect.stringMatching(/^Retrying: Local trainer: 500 /) });
      expect(retrying.failingSince).not.toBeNull();
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^fine-tune ${id}: attempt 4 failed, retrying in \\d+\\.\\d s: Local trainer: 500 `))]);
      // The retry is a queued job that starts later, carrying the run id only.
      const requeued = await db().$queryRawUnsafe<{ data: unknown; later: boolean }[]>(
        `SELECT data, start_after > now() AS later FROM pgboss.job WHERE name = 'finetune-launch'`,
      );
      expect(requeued).toEqual([{ data: { jobId: id }, later: true }]);

      // The streak began 31 minutes ago (as after a long worker outage): the budget is spent,
      // so the next failure ends the run with the provider's message.
      await db().fineTuneJob.update({ where: { id }, data: { failingSince: new Date(Date.now() - 31 * 60_000) } });
      expect(await handleFineTuneLaunch(job, () => {}, FAST)).toMatchObject({ status: 'failed', needsPoll: false });
      const failed = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
      expect(failed.error).toMatch(
        /^Local trainer: 500 The server had an error.*\(gave up after 5 attempts over 31 min: the retry budget, FINETUNE_RETRY_BUDGET_MS, is 30 min\)$/,
      );
      // A payload without a run id is dropped, not retried.
      expect(await handleFineTuneLaunch({ ...job, data: { versionId: 1 } })).toBeNull();
    } finally {
      await setFaults(world.trainer, {});
      await db().$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name LIKE 'finetune-%'`);
    }
  });
});

describe('after a restart', () => {
  it('queues a launch for each pending run and a poll for each unfinished one, once however often it runs', async () => {
    await db().$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name LIKE 'finetune-%'`);
    const input = { datasetVersionId: world.versionId, provider: 'local', baseModel: 'local-base', nEpochs: 50 };
    const pending = await launchFineTune(mlLead, input, { enqueue: false });
    const onProvider = await launchFineTune(mlLead, input, { enqueue: false });
    await runFineTuneLaunch(onProvider.id);
    const cancelled = await launchFineTune(mlLead, input, { enqueue: false });
    await cancelFineTune(mlLead, cancelled.id);

    expect(await resumeFineTunes()).toEqual({ launches: 1, polls: 1 });
    await resumeFineTunes();
    const launches = await queued('finetune-launch');
    const polls = await queued('finetune-poll');
    expect(launches.map((j) => j.data)).toEqual([{ jobId: pending.id }]);
    expect(polls.map((j) => j.data)).toEqual([{ jobId: onProvider.id }]);
    await db().$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name LIKE 'finetune-%'`);
    await stopQueue();
  });
});
