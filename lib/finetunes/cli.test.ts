// `npm run finetune` as a user runs it: a child process against the test database and the
// local trainer. --wait launches and follows the run in-process; the last stdout line is JSON;
// exit codes 0 / 1 / 2; bad flags create nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { lastJson, runCli } from '../testing/run-cli';
import { stopQueue } from '../jobs/queue';
import { cancelActiveProviderJobs, clearFineTuneQueues, mlLead, startFineTuneWorld, TRAINER_KEY, type FineTuneWorld } from './test-fixtures';

// Successful runs here would start their evals (tested in lib/evals and e2e); their queued
// jobs would outlive this file in the shared database.
process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';

let world: FineTuneWorld;
beforeAll(async () => {
  world = await startFineTuneWorld();
});
afterAll(async () => {
  await stopQueue();
  await clearFineTuneQueues();
  await cancelActiveProviderJobs(world.client);
  await world?.close();
});

const cli = (args: string[]) => runCli('lib/cli/finetune.ts', args, { TRAINER_URL: world.trainer.url, TRAINER_API_KEY: TRAINER_KEY });

describe('npm run finetune', () => {
  it('--wait launches, follows and prints the finished run as JSON (exit 0)', async () => {
    const r = await cli(['--dataset', 'ft-data', '--model', 'local-base', '--epochs', '1', '--suffix', 'cli', '--seed', '3', '--wait', '--as', mlLead.email]);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({
      status: 'succeeded',
      provider: 'local',
      base_model: 'local-base',
      dataset: 'ft-data',
      version: 1,
      hyperparameters: { n_epochs: 1 },
    });
    expect(out.fine_tuned_model).toMatch(/^ft:local-base:local:cli:/);
    expect(out.trained_tokens).toBeGreaterThan(0);
    expect(r.stderr).toContain('status: succeeded');
    expect(r.stderr).toContain('The job has successfully completed');
    expect(r.stderr + r.stdout).not.toContain(TRAINER_KEY);
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id: out.id } });
    expect(run).toMatchObject({ status: 'succeeded', seed: 3, createdById: mlLead.id });
  });

  it('exits 1 when the run fails, with the provider message', async () => {
    const r = await cli(['--dataset', 'ft-data', '--version', '1', '--model', 'gpt-nope', '--wait', '--as', mlLead.email]);
    expect(r.code).toBe(1);
    expect(lastJson(r.stdout)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Local trainer: 400 Model gpt-nope is not available/) });
  });

  it('exits 2 on bad flags, naming the flag, and creates nothing', async () => {
    const before = await db().fineTuneJob.count();
    const r = await cli(['--dataset', 'ft-data', '--model', 'local-base', '--epochs', '0', '--as', mlLead.email]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--epochs: epochs must be at least 1');
    const unknown = await cli(['--dataset', 'no-such-dataset', '--model', 'local-base', '--as', mlLead.email]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--dataset: there is no dataset named "no-such-dataset"');
    const evalOnly = await cli(['--dataset', 'ft-eval-only', '--model', 'local-base', '--as', mlLead.email]);
    expect(evalOnly.code).toBe(2);
    expect(evalOnly.stderr).toMatch(/--dataset: ft-eval-only v1 cannot be fine-tuned: 0 training examples/);
    expect(await db().fineTuneJob.count()).toBe(before);
  });

  it('--help lists every flag (exit 0); an unknown flag is refused with the valid ones (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run finetune -- --dataset <name>');
    expect(help.stdout).toMatch(/--lr-multiplier X\|auto\s+learning-rate multiplier \(default: auto\)/);
    const bad = await cli(['--dataset', 'ft-data', '--model', 'local-base', '--epoch', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--epoch: unknown flag; the flags are --dataset, --version, --model, --provider, --epochs,');
    const missing = await cli(['--dataset', '--model', 'local-base']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--dataset: needs a value (name)');
  });
});
