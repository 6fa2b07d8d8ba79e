// Shared helpers for the eval tests: a real local trainer in-process (the Studio reaches it via
// TRAINER_URL / TRAINER_API_KEY, as in production), the sample corpus seeded through the
// importer, and dataset versions created and built the way the page and the CLI do it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { db } from '../db';
import { buildDatasetVersion } from '../datasets/build-dataset-version';
import { examplesWithContent } from '../datasets/example-content';
import { createDatasetVersion } from '../datasets/create-dataset-version';
import { DEFAULT_PARAMS, type DatasetParams } from '../datasets/params';
import { mlLead, resetWithUsers } from '../datasets/test-fixtures';
import type { FaultConfig } from '../local-trainer/faults';
import { startLocalTrainer, type LocalTrainer } from '../local-trainer/server';
import { seedDatabase } from '../seed';

export { admin, mlLead, otherLead, reviewer } from '../datasets/test-fixtures';

export const TRAINER_KEY = 'k';

export interface TestTrainer {
  trainer: LocalTrainer;
  close(): Promise<void>;
}

/** A local trainer on a free port with a throwaway data dir; TRAINER_URL/TRAINER_API_KEY point at it. */
export async function startTrainerForEvals(): Promise<TestTrainer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evals-trainer-'));
  const trainer = await startLocalTrainer({ port: 0, dataDir, apiKey: TRAINER_KEY });
  process.env.TRAINER_URL = trainer.url;
  process.env.TRAINER_API_KEY = TRAINER_KEY;
  return {
    trainer,
    close: async () => {
      await trainer.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sets the trainer's injected faults over HTTP, as an operator would (`{}` switches them off). */
export async function setFaults(t: TestTrainer, cfg: FaultConfig): Promise<void> {
  const res = await fetch(`${t.trainer.url}/_control/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TRAINER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(cfg),
  });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}

/** Empty tables, the test users, and the 120-conversation sample corpus. */
export async function resetWithCorpus(): Promise<void> {
  await resetWithUsers();
  await seedDatabase({ force: true, count: 120, log: () => {} });
}

/** A built (ready) version, created as the ML lead. */
export async function readyVersion(name: string, overrides: Partial<DatasetParams> = {}) {
  const created = await createDatasetVersion(mlLead, { name, params: { ...DEFAULT_PARAMS, ...overrides } });
  await buildDatasetVersion(created.versionId);
  return db().datasetVersion.findUniqueOrThrow({ where: { id: created.versionId }, include: { dataset: true } });
}

export async function examplesOfSplit(versionId: number, split: 'train' | 'validation' | 'test' = 'test') {
  return examplesWithContent(versionId, { split });
}

export async function predictionsOf(runId: number) {
  return db().evalPrediction.findMany({ where: { runId }, orderBy: { ordinal: 'asc' } });
}

/** Fast retries for tests: many attempts, millisecond backoff. */
export const FAST_RETRY = { maxAttempts: 15, baseDelayMs: 2, maxDelayMs: 20, timeoutMs: 5_000 };
