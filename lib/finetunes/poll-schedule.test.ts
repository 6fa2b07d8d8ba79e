// Polling that scales, against a real PostgreSQL: the poll backs off while a provider's status
// stays the same (2 s doubling to 60 s, back to 2 s on a change), keeps that schedule on the
// run across restarts, and every provider call of every poller — in this process and in
// others — holds one of the provider's call slots, so no more than the cap are ever in flight.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { stopQueue } from '../jobs/queue';
import { launchFineTune } from './launch-fine-tune';
import { busyCallSlots } from './providers/call-slots';
import { resumeFineTunes, runFineTunePoll } from './worker-jobs';
import { clearFineTuneQueues, mlLead, startFineTuneWorld, type FineTuneWorld } from './test-fixtures';
import { startFixtureServer, type FixtureServer } from './fixtures/fixture-server';

process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';

let world: FineTuneWorld;
let server: FixtureServer;
beforeAll(async () => {
  world = await startFineTuneWorld();
  server = await startFixtureServer();
  process.env.OPENAI_API_KEY = 'sk-test-0123456789abcdef';
  process.env.OPENAI_BASE_URL = `${server.url}/v1`;
});
afterAll(async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  await stopQueue();
  await server?.close();
  await world?.close();
});
afterEach(() => {
  delete process.env.FINETUNE_PROVIDER_CONCURRENCY_OPENAI;
  server.reset();
});

/** OpenAI's fine-tuning job object (reference/openai-finetune-schemas.yaml, FineTuningJob). */
const openAiJob = (id: string, status: string) => ({
  object: 'fine_tuning.job',
  id,
  model: 'gpt-4.1-mini-2025-04-14',
  created_at: 1_700_000_000,
  finished_at: null,
  fine_tuned_model: null,
  organization_id: 'org-123',
  result_files: [],
  status,
  validation_file: null,
  training_file: 'file-abc123',
  hyperparameters: { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 2 },
  trained_tokens: null,
  error: null,
  seed: 42,
});
const emptyList = { object: 'list', data: [], has_more: false };

/** A run already on the provider (as after its launch) with provider job `providerJobId`. */
async function runOnProvider(providerJobId: string): Promise<number> {
  const { id } = await launchFineTune(
    mlLead,
    { datasetVersionId: world.versionId, provider: 'openai', baseModel: 'gpt-4.1-mini-2025-04-14' },
    { enqueue: false },
  );
  await db().fineTuneJob.update({ where: { id }, data: { providerJobId, status: 'queued', trainingFileId: 'file-abc123' } });
  return id;
}

function routeJobs(status: () => string, delayMs = 0) {
  server.route('GET', /^\/v1\/fine_tuning\/jobs\/[^/]+$/, (r) => ({ body: openAiJob(r.path.split('/').at(-1)!, status()), delayMs }));
  server.route('GET', /^\/v1\/fine_tuning\/jobs\/[^/]+\/(events|checkpoints)$/, { body: emptyList });
}

describe('the poll backoff', () => {
  it('doubles the wait while the status stays "running", caps it at 60 s, starts over on a change, and survives a restart', async () => {
    let status = 'running';
    routeJobs(() => status);
    const id = await runOnProvider('ftjob-backoff');
    let t = Date.parse('2026-12-01T10:00:00Z');
    const waits: number[] = [];
    const callsPerPoll: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = server.requests.length;
      const out = await runFineTunePoll(id, { now: () => t });
      const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
      expect(out.nextPollInMs).toBe(run.pollIntervalMs);
      expect(run.nextPollAt?.getTime()).toBe(t + run.pollIntervalMs!);
      waits.push(run.pollIntervalMs!);
      callsPerPoll.push(server.requests.length - before);
      t = run.nextPollAt!.getTime();
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(new Set(callsPerPoll)).toEqual(new Set([3])); // the job, its events, its checkpoints
    expect((await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).providerStatus).toBe('running');

    // A poll that comes early (a duplicate job, a restarted worker's sweep) waits for the stored time.
    const before = server.requests.length;
    const early = await runFineTunePoll(id, { now: () => t - 45_000, respectSchedule: true });
    expect(server.requests.length).toBe(before);
    expect(early).toMatchObject({ status: 'running', needsPoll: true, nextPollInMs: 45_000 });

    // A restart queues the poll for the run's next poll time, not now.
    await clearFineTuneQueues();
    await db().fineTuneJob.update({ where: { id }, data: { nextPollAt: new Date(Date.now() + 50_000) } });
    await resumeFineTunes();
    const [queued] = await db().$queryRawUnsafe<{ wait: number }[]>(
      `SELECT extract(epoch FROM start_after - now())::float8 AS wait FROM pgboss.job WHERE name = 'finetune-poll' AND data->>'jobId' = $1`,
      String(id),
    );
    expect(queued.wait).toBeGreaterThan(45);
    expect(queued.wait).toBeLessThan(52);
    await db().$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name LIKE 'finetune-%'`);

    // Any change of status starts over at 2 s (a paused OpenAI job is queued to the Studio).
    status = 'paused';
    await runFineTunePoll(id, { now: () => t });
    expect(await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'queued', providerStatus: 'paused', pollIntervalMs: 2_000 });
  });

  it('costs an hour-long job 64 polls instead of 1,800', async () => {
    routeJobs(() => 'running');
    const id = await runOnProvider('ftjob-hour');
    const start = Date.parse('2026-12-01T10:00:00Z');
    let t = start;
    let polls = 0;
    while (t < start + 3_600_000) {
      await runFineTunePoll(id, { now: () => t });
      polls++;
      t = (await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).nextPollAt!.getTime();
    }
    // 2+4+8+16+32 s, then every 60 s: 5 + ceil((3600 − 62) / 60) = 64 polls (3 calls each).
    expect(polls).toBe(64);
    expect(server.requests.length).toBe(polls * 3);
  });
});

describe('the global cap on provider calls', () => {
  it('never lets more than FINETUNE_PROVIDER_CONCURRENCY_OPENAI calls run at once across concurrent pollers', async () => {
    process.env.FINETUNE_PROVIDER_CONCURRENCY_OPENAI = '3';
    routeJobs(() => 'running', 150);
    const ids = [];
    for (let i = 0; i < 9; i++) ids.push(await runOnProvider(`ftjob-cap-${i}`));
    const outs = await Promise.all(ids.map((id) => runFineTunePoll(id)));
    expect(outs.map((o) => o.status)).toEqual(ids.map(() => 'running'));
    expect(server.requests.length).toBe(27);
    expect(server.maxInFlight).toBe(3);
    expect(await busyCallSlots('openai')).toBe(0);
  });

  it('holds across processes: three worker processes share one cap', async () => {
    server.route('GET', '/slow', { body: { ok: true }, delayMs: 120 });
    const script = path.resolve('lib/finetunes/fixtures/call-slot-client.ts');
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(path.resolve('node_modules/.bin/tsx'), [script], {
          env: { ...process.env, URL: `${server.url}/slow`, CALLS: '5', PROVIDER: 'openai', FINETUNE_PROVIDER_CONCURRENCY_OPENAI: '2' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const outs = await Promise.all([run(), run(), run()]);
    expect(outs).toEqual(Array(3).fill(JSON.stringify([200, 200, 200, 200, 200])));
    expect(server.requests.length).toBe(15);
    expect(server.maxInFlight).toBe(2);
  }, 90_000);

  it('takes over the slot of a holder that died once its lease has run out', async () => {
    process.env.FINETUNE_PROVIDER_CONCURRENCY_OPENAI = '1';
    await db().$executeRaw`
      INSERT INTO provider_call_slots (provider, slot, holder, lease_until) VALUES ('openai', 0, 'dead-process', now() - interval '1 second')
      ON CONFLICT (provider, slot) DO UPDATE SET holder = 'dead-process', lease_until = now() - interval '1 second'`;
    routeJobs(() => 'running');
    const id = await runOnProvider('ftjob-lease');
    expect(await runFineTunePoll(id)).toMatchObject({ status: 'running' });
    expect(await busyCallSlots('openai')).toBe(0);
  });
});
