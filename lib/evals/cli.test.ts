// `npm run eval` as a user runs it: a child process against the test database and a real local
// trainer. A dataset eval is scored on the golden set beside it; --golden scores golden alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { lastJson, runCli } from '../testing/run-cli';
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

const cli = (args: string[]) => runCli('lib/cli/eval.ts', args, { TRAINER_URL: t.trainer.url, TRAINER_API_KEY: TRAINER_KEY });

describe('npm run eval', () => {
  it('scores a dataset split and, beside it, the golden set', async () => {
    const r = await cli(['--dataset', 'cli-evals', '--model', 'local-base', '--as', mlLead.email]);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ dataset: 'cli-evals', version: 1, split: 'test', model: 'local-base', provider: 'local' });
    expect(out.golden).toMatchObject({ n: expect.any(Number), accuracy: expect.any(Number), premature_end_rate: expect.any(Number) });
    expect(out.golden.n).toBeGreaterThanOrEqual(400);
    const golden = await db().evalRun.findUniqueOrThrow({ where: { id: out.golden.run_id } });
    expect(golden.goldenOfRunId).toBe(out.run_id);
  }, 120_000);

  it('--golden prints the same JSON for the golden set alone', async () => {
    const r = await cli(['--golden', '--model', 'local-base', '--as', mlLead.email]);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({
      dataset: 'golden',
      split: 'test',
      model: 'local-base',
      n: expect.any(Number),
      accuracy: expect.any(Number),
      macro_f1: expect.any(Number),
    });
    expect(Object.keys(out.per_class)).toEqual(['END', 'CONTINUE', 'SCHEDULE']);
    expect(out.golden).toBeUndefined();
  }, 120_000);

  it('refuses --golden with another split, and no dataset without --golden; nothing is created', async () => {
    const before = await db().evalRun.count();
    expect((await cli(['--golden', '--model', 'local-base', '--split', 'train'])).code).toBe(2);
    const r = await cli(['--model', 'local-base']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--dataset is required');
    expect(await db().evalRun.count()).toBe(before);
  }, 60_000);
});
