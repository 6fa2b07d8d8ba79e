// Shared set-up for the fine-tune tests: a real local trainer on a free port (the provider the
// code reaches through TRAINER_URL / TRAINER_API_KEY, exactly as in production), the sample
// corpus, a trainable dataset version and an evaluation-only (not trainable) one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { db } from '../db';
import { seedDatabase } from '../seed';
import { startLocalTrainer, type LocalTrainer } from '../local-trainer/server';
import { createAndBuild, resetWithUsers } from '../datasets/test-fixtures';
import type { FaultConfig } from '../local-trainer/faults';

export { admin, mlLead, reviewer } from '../datasets/test-fixtures';

export const TRAINER_KEY = 'test-key';

export interface FineTuneWorld {
  trainer: LocalTrainer;
  client: OpenAI;
  versionId: number;
  evalOnlyVersionId: number;
  close(): Promise<void>;
}

export async function startFineTuneWorld(): Promise<FineTuneWorld> {
  process.env.BETTER_AUTH_SECRET ??= 'finetune-tests-secret-0123456789abcdef';
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'finetune-trainer-'));
  const trainer = await startLocalTrainer({ port: 0, dataDir, apiKey: TRAINER_KEY });
  process.env.TRAINER_URL = trainer.url;
  process.env.TRAINER_API_KEY = TRAINER_KEY;

  await resetWithUsers();
  await clearFineTuneQueues();
  await seedDatabase({ force: true, count: 120, log: () => {} });
  const version = await createAndBuild('ft-data');
  const evalOnly = await createAndBuild('ft-eval-only', { split: { train: 0, validation: 0, test: 1 } });
  return {
    trainer,
    client: new OpenAI({ apiKey: TRAINER_KEY, baseURL: `${trainer.url}/v1`, maxRetries: 0, timeout: 20_000 }),
    versionId: version.id,
    evalOnlyVersionId: evalOnly.id,
    async close() {
      await trainer.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Drops queued fine-tune jobs another test file left behind (run ids restart at 1). */
export async function clearFineTuneQueues(): Promise<void> {
  const [{ exists }] = await db().$queryRawUnsafe<{ exists: boolean }[]>(`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`);
  if (exists) await db().$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name LIKE 'finetune-%'`);
}

export async function setFaults(trainer: LocalTrainer, faults: FaultConfig): Promise<void> {
  const res = await fetch(`${trainer.url}/_control/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TRAINER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`setting faults: ${res.status} ${await res.text()}`);
}

/** Every provider job carrying this run's idempotency key. */
export async function providerJobsOf(client: OpenAI, jobId: number) {
  const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id: jobId } });
  const out = [];
  for await (const j of client.fineTuning.jobs.list({ limit: 100, metadata: { studio_job_key: run.idempotencyKey } })) out.push(j);
  return out;
}

/** Cancels whatever the trainer is still working on, so the next test does not queue behind it. */
export async function cancelActiveProviderJobs(client: OpenAI): Promise<void> {
  for await (const j of client.fineTuning.jobs.list({ limit: 100 })) {
    if (['validating_files', 'queued', 'running'].includes(j.status)) await client.fineTuning.jobs.cancel(j.id).catch(() => {});
  }
}

/** The in-process driver with short waits (the real policy, scaled down: 10 ms doubling to 100 ms). */
export const FAST = { backoff: { baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1_000 }, pollIntervalMs: 100 } as const;
