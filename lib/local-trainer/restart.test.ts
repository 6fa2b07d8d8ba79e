// Jobs survive the trainer: a job running when the server stops is run again by the next server
// on the same data dir. Also: the API stays responsive while a job trains, and cancelling a
// running job stops it at once and lets the next queued job start.
import fs from 'node:fs';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTrainer, type LocalTrainer } from './server';
import { sampleExamples, toJsonl } from '../seed/examples';
import { clientFor, tempDataDir, waitForJob } from './testing/trainer';

const dataDir = tempDataDir();
// Big enough that training takes a couple of seconds: there is time to act while it runs.
const bigJsonl = Buffer.from(toJsonl(sampleExamples(10_000, 9)));
const open: LocalTrainer[] = [];

async function start(): Promise<LocalTrainer> {
  const t = await startLocalTrainer({ port: 0, dataDir });
  open.push(t);
  return t;
}

/** Resolves once the job is running and has logged at least one training step. */
async function waitUntilTraining(client: OpenAI, id: string): Promise<void> {
  const until = Date.now() + 90_000; // generous: on a loaded 2-core machine the worker thread starts late
  while (Date.now() < until) {
    const job = await client.fineTuning.jobs.retrieve(id);
    if (job.status === 'running') {
      const events = await client.fineTuning.jobs.listEvents(id, { limit: 1 });
      if (events.data[0]?.type === 'metrics') return;
    }
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) throw new Error(`job ${id} ended (${job.status}) before it could be interrupted`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${id} never started training`);
}

let trainingFile: string;

beforeAll(async () => {
  const first = await start();
  trainingFile = (await clientFor(first).files.create({ file: await toFile(bigJsonl, 'big.jsonl'), purpose: 'fine-tune' })).id;
});
afterAll(async () => {
  for (const t of open) await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('restart', () => {
  it('resumes a job that was running when the trainer stopped', { timeout: 180_000 }, async () => {
    const a = open[0];
    expect(a.apiKeyCreated).toBe(true);
    const clientA = clientFor(a);
    const job = await clientA.fineTuning.jobs.create({
      model: 'local-base',
      training_file: trainingFile,
      seed: 1,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 5 } } },
    });
    await waitUntilTraining(clientA, job.id);

    // Training runs in a worker thread: reads answer in milliseconds meanwhile.
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await clientA.fineTuning.jobs.retrieve(job.id);
    expect((performance.now() - t0) / 10).toBeLessThan(50);

    // One trainer per data dir.
    await expect(startLocalTrainer({ port: 0, dataDir })).rejects.toThrow(/already uses/);
    await a.close();
    const onDisk = JSON.parse(fs.readFileSync(path.join(dataDir, 'jobs', job.id, 'job.json'), 'utf8')) as { job: { status: string } };
    expect(onDisk.job.status).toBe('running');

    const b = await start();
    expect(b.apiKey).toBe(a.apiKey); // the generated key was kept in <dataDir>/api-key
    expect(b.apiKeyCreated).toBe(false);
    const clientB = clientFor(b);
    const done = await waitForJob(clientB, job.id, 120_000);
    expect(done.status).toBe('succeeded');
    const messages: string[] = [];
    for await (const e of clientB.fineTuning.jobs.listEvents(job.id, { limit: 100 })) messages.push(e.message);
    expect(messages.some((m) => m.includes('restarted while this job was running'))).toBe(true);
    expect((await clientB.files.list()).data.map((f) => f.id)).toContain(trainingFile);
    const res = await clientB.chat.completions.create({
      model: done.fine_tuned_model!,
      messages: [{ role: 'user', content: '[+4m] Candidate: STOP' }],
      temperature: 0,
    });
    expect(res.choices[0].message.content).toBe('END');
  });

  it('cancels a running job promptly and starts the next queued one', { timeout: 180_000 }, async () => {
    const client = clientFor(open.at(-1)!);
    const long = await client.fineTuning.jobs.create({
      model: 'local-base',
      training_file: trainingFile,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 5 } } },
    });
    const small = await client.files.create({ file: await toFile(Buffer.from(toJsonl(sampleExamples(50, 3))), 'small.jsonl'), purpose: 'fine-tune' });
    const next = await client.fineTuning.jobs.create({ model: 'local-base', training_file: small.id });
    await waitUntilTraining(client, long.id);
    expect((await client.fineTuning.jobs.retrieve(next.id)).status).toBe('queued');

    const cancelled = await client.fineTuning.jobs.cancel(long.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.fine_tuned_model).toBeNull();
    expect((await client.fineTuning.jobs.checkpoints.list(long.id)).data).toEqual([]);
    expect((await waitForJob(client, next.id, 60_000)).status).toBe('succeeded');
    expect((await client.fineTuning.jobs.retrieve(long.id)).status).toBe('cancelled');
  });
});
