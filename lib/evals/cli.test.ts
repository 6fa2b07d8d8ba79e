// `npm run eval` as a user runs it: a child process against the test database and a real local
// trainer. A dataset eval is scored on the golden set beside it; --golden scores golden alone.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { stopQueue } from '../jobs/queue';
import { mlLead, readyVersion, resetWithCorpus, startTrainerForEvals, TRAINER_KEY, type TestTrainer } from './test-fixtures';

let t: TestTrainer;
beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  await readyVersion('cli-evals', { split: { train: 0.6, validation: 0.1, test: 0.3 } });
}, 120_000);
afterAll(async () => {
  await stopQueue();
  await t?.close();
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const env = { ...process.env, TRAINER_URL: t.trainer.url, TRAINER_API_KEY: TRAINER_KEY };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, 'lib/cli/eval.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('npm run eval', () => {
  it('scores a dataset split and, beside it, the golden set', async () => {
    const r = await runCli(['--dataset', 'cli-evals', '--model', 'local-base', '--as', mlLead.email]);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ dataset: 'cli-evals', version: 1, split: 'test', model: 'local-base', provider: 'local' });
    expect(out.golden).toMatchObject({ n: expect.any(Number), accuracy: expect.any(Number), premature_end_rate: expect.any(Number) });
    expect(out.golden.n).toBeGreaterThanOrEqual(400);
    const golden = await db().evalRun.findUniqueOrThrow({ where: { id: out.golden.run_id } });
    expect(golden.goldenOfRunId).toBe(out.run_id);
  }, 120_000);

  it('--golden prints the same JSON for the golden set alone', async () => {
    const r = await runCli(['--golden', '--model', 'local-base', '--as', mlLead.email]);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ dataset: 'golden', split: 'test', model: 'local-base', n: expect.any(Number), accuracy: expect.any(Number), macro_f1: expect.any(Number) });
    expect(Object.keys(out.per_class)).toEqual(['END', 'CONTINUE', 'SCHEDULE']);
    expect(out.golden).toBeUndefined();
  }, 120_000);

  it('refuses --golden with another split, and no dataset without --golden; nothing is created', async () => {
    const before = await db().evalRun.count();
    expect((await runCli(['--golden', '--model', 'local-base', '--split', 'train'])).code).toBe(2);
    const r = await runCli(['--model', 'local-base']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--dataset is required');
    expect(await db().evalRun.count()).toBe(before);
  }, 60_000);
});
