// Test helpers: a trainer on a free port with a throwaway data dir, and an SDK client for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { startLocalTrainer, type LocalTrainer, type LocalTrainerOptions } from '../server';

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'local-trainer-'));
}

/** A trainer on a free port with its own data dir, which `close()` removes. */
export async function startTestTrainer(opts: LocalTrainerOptions = {}): Promise<LocalTrainer> {
  const dataDir = tempDataDir();
  const t = await startLocalTrainer({ port: 0, dataDir, apiKey: 'sk-test-key', ...opts });
  return {
    ...t,
    close: async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function clientFor(t: LocalTrainer, opts: { maxRetries?: number; apiKey?: string; timeout?: number } = {}): OpenAI {
  return new OpenAI({ apiKey: opts.apiKey ?? t.apiKey, baseURL: `${t.url}/v1`, maxRetries: opts.maxRetries ?? 0, timeout: opts.timeout ?? 20_000 });
}

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

export async function waitForJob(client: OpenAI, id: string, timeoutMs = 30_000): Promise<OpenAI.FineTuning.Jobs.FineTuningJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.fineTuning.jobs.retrieve(id);
    if (TERMINAL.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
