// Fine-tunes end to end against the real local trainer and the real test PostgreSQL: launch,
// the launch and poll steps, events and metrics, idempotent re-launch, transient faults,
// terminal provider errors, retries running out, bad input, and cancel.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../auth/errors';
import { db } from '../db';
import { snapshotDatabase } from '../testing/db-snapshot';
import { freePort } from '../testing/free-port';
import { parseFaultsEnv } from '../local-trainer/faults';
import { cancelFineTune } from './cancel-fine-tune';
import { FineTuneInputError } from './errors';
import { launchFineTune } from './launch-fine-tune';
import { getFineTune, getFineTuneLive, listFineTunedModels, listFineTunes } from './queries';
import { processFineTuneInProcess, runFineTuneLaunch, runFineTunePoll } from './worker-jobs';
import {
  cancelActiveProviderJobs,
  FAST,
  mlLead,
  providerJobsOf,
  reviewer,
  setFaults,
  startFineTuneWorld,
  TRAINER_KEY,
  type FineTuneWorld,
} from './test-fixtures';

// Successful runs here would start their evals (tested in lib/evals and e2e); their queued
// jobs would outlive this file in the shared database.
process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';

let world: FineTuneWorld;
beforeAll(async () => {
  world = await startFineTuneWorld();
});
afterAll(async () => {
  await world?.close();
});
afterEach(async () => {
  await setFaults(world.trainer, {});
  process.env.TRAINER_API_KEY = TRAINER_KEY;
  await cancelActiveProviderJobs(world.client);
});

const input = (overrides: Record<string, unknown> = {}) => ({
  datasetVersionId: world.versionId,
  provider: 'local',
  baseModel: 'local-base',
  nEpochs: 2,
  batchSize: 'auto',
  learningRateMultiplier: 'auto',
  ...overrides,
});

describe('a launch that succeeds', () => {
  it('runs launch then poll to succeeded, storing the model, hyperparameters, tokens, events and metrics', async () => {
    const launched = await launchFineTune(mlLead, input({ suffix: 'exit-advisor', seed: 7 }), { enqueue: false });
    const pending = await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } });
    expect(pending).toMatchObject({ status: 'pending', provider: 'local', baseModel: 'local-base', suffix: 'exit-advisor', seed: 7, providerJobId: null });
    expect(pending.hyperparameters).toEqual({ n_epochs: 2, batch_size: 'auto', learning_rate_multiplier: 'auto' });
    expect(launched.estimatedCost).toMatchObject({ model: 'local-base', nEpochs: 2, epochsAuto: false, usd: 0 });
    expect(launched.estimatedCost.chargedTokens).toBe(2 * launched.estimatedCost.billingTokens);

    const out = await processFineTuneInProcess(launched.id, FAST);
    expect(out.status).toBe('succeeded');

    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } });
    expect(run.fineTunedModel).toMatch(/^ft:local-base:local:exit-advisor:[A-Za-z0-9]{8}$/);
    expect(run.trainingFileId).toMatch(/^file-/);
    expect(run.validationFileId).toMatch(/^file-/);
    expect(run.resultFileId).toMatch(/^file-/);
    expect(run.trainedTokens).toBeGreaterThan(0);
    expect(run.resolvedHyperparameters).toMatchObject({ n_epochs: 2, learning_rate_multiplier: 1 });
    expect(run.error).toBeNull();
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime() - 1000);

    // Every provider event, once, in the provider's order; metrics from the metrics events.
    const providerEvents = [];
    for await (const e of world.client.fineTuning.jobs.listEvents(run.providerJobId!, { limit: 100 })) providerEvents.push(e);
    const stored = await db().fineTuneEvent.findMany({ where: { jobId: run.id }, orderBy: { id: 'asc' } });
    expect(stored.map((e) => e.providerEventId)).toEqual(providerEvents.map((e) => e.id).reverse());
    expect(stored.at(-1)!.message).toBe('The job has successfully completed');
    const metricsEvents = providerEvents.filter((e) => e.type === 'metrics');
    const metrics = await db().fineTuneMetric.findMany({ where: { jobId: run.id }, orderBy: { step: 'asc' } });
    expect(metrics.length).toBeGreaterThanOrEqual(metricsEvents.length);
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.every((m) => m.trainLoss !== null && m.trainAccuracy !== null)).toBe(true);
    expect(metrics.some((m) => m.validLoss !== null)).toBe(true);

    // Polling again after the end changes nothing.
    const again = await runFineTunePoll(run.id);
    expect(again).toMatchObject({ status: 'succeeded', needsPoll: false });
    expect(await db().fineTuneEvent.count({ where: { jobId: run.id } })).toBe(stored.length);

    // The reads.
    const detail = (await getFineTune(reviewer, run.id))!;
    expect(detail).toMatchObject({
      status: 'succeeded',
      fineTunedModel: run.fineTunedModel,
      dataset: { name: 'ft-data' },
      trainedTokens: run.trainedTokens,
      error: null,
    });
    expect(detail.hyperparameters.requested).toEqual(pending.hyperparameters);
    expect(detail.events.at(-1)!.message).toBe('The job has successfully completed');
    expect(detail.metrics.map((m) => m.step)).toEqual(metrics.map((m) => m.step));
    const live = (await getFineTuneLive(reviewer, run.id, { afterEventId: detail.events.at(-3)!.id }))!;
    expect(live.events.map((e) => e.message)).toEqual(detail.events.slice(-2).map((e) => e.message));
    expect(live.lastEventId).toBe(detail.events.at(-1)!.id);
    const list = await listFineTunes(reviewer);
    expect(list.runs.find((r) => r.id === run.id)).toMatchObject({ status: 'succeeded', dataset: { name: 'ft-data' }, createdBy: { email: mlLead.email } });
    const models = await listFineTunedModels(reviewer);
    expect(models.find((m) => m.jobId === run.id)).toMatchObject({
      model: run.fineTunedModel,
      provider: 'local',
      baseModel: 'local-base',
      dataset: { name: 'ft-data' },
      datasetVersion: { id: world.versionId },
    });
    // No key anywhere in what we stored.
    expect(JSON.stringify(await db().$queryRawUnsafe(`SELECT to_jsonb(j) AS j FROM fine_tune_jobs j`))).not.toContain(TRAINER_KEY);
  });
});

describe('idempotent launch', () => {
  it('adopts the provider job a killed launcher created but never recorded, instead of creating a second one', async () => {
    const { id } = await launchFineTune(mlLead, input({ suffix: 'crash' }), { enqueue: false });
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    // The killed attempt got this far: files uploaded and recorded, provider job created (with
    // the run's metadata, as the launcher sends it), then death before recording it.
    await runFineTuneLaunchUntilFilesOnly(id);
    const withFiles = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    const created = await world.client.fineTuning.jobs.create({
      model: 'local-base',
      training_file: withFiles.trainingFileId!,
      validation_file: withFiles.validationFileId,
      suffix: 'crash',
      metadata: { studio_job_key: run.idempotencyKey, studio_job_id: String(id) },
    });
    const before = await countProviderJobs();

    const out = await runFineTuneLaunch(id);
    expect(out).toMatchObject({ providerJobId: created.id, needsPoll: true });
    expect((await providerJobsOf(world.client, id)).map((j) => j.id)).toEqual([created.id]);
    expect(await countProviderJobs()).toBe(before);
    // And once more, as a duplicate queue job would.
    expect(await runFineTuneLaunch(id)).toMatchObject({ providerJobId: created.id });
    expect(await countProviderJobs()).toBe(before);
  });

  it('two launchers racing on one run create one provider job', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    const before = await countProviderJobs();
    const [a, b] = await Promise.all([runFineTuneLaunch(id), runFineTuneLaunch(id)]);
    expect(a.providerJobId).toBeTruthy();
    expect(b.providerJobId).toBe(a.providerJobId);
    expect(await countProviderJobs()).toBe(before + 1);
    expect((await providerJobsOf(world.client, id)).length).toBe(1);
  });
});

async function countProviderJobs(): Promise<number> {
  let n = 0;
  for await (const _ of world.client.fineTuning.jobs.list({ limit: 100 })) n++;
  return n;
}

/** Runs the launch with job creation refused, leaving the run with its files recorded only. */
async function runFineTuneLaunchUntilFilesOnly(id: number) {
  await setFaults(world.trainer, { '500': 1, paths: '^/v1/fine_tuning/jobs$' });
  await expect(runFineTuneLaunch(id, FAST)).rejects.toThrow(/500/);
  await setFaults(world.trainer, {});
  const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
  expect(run).toMatchObject({ status: 'pending', providerJobId: null });
  expect(run.error).toMatch(/^Retrying: Local trainer: 500 /);
}

describe('provider trouble', () => {
  it('retries 429s and 500s (half of all requests) with backoff and still succeeds', async () => {
    const { id } = await launchFineTune(mlLead, input({ nEpochs: 1 }), { enqueue: false });
    await setFaults(world.trainer, { '429': 0.25, '500': 0.25, retry_after_ms: 0 });
    const retries: string[] = [];
    const out = await processFineTuneInProcess(id, { ...FAST, onRetry: (e) => retries.push(e.message) });
    await setFaults(world.trainer, {});
    expect(out.status).toBe('succeeded');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.some((m) => /^Local trainer: 429 /.test(m))).toBe(true);
    expect(retries.some((m) => /^Local trainer: 500 /.test(m))).toBe(true);
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    expect(run.fineTunedModel).toMatch(/^ft:local-base:local::/);
    expect(run.error).toBeNull();
    expect((await providerJobsOf(world.client, id)).length).toBe(1);
  });

  it("a launch and its polling under the README's fault mix (429:0.3,500:0.2,hang:0.05) succeed, with one provider job", async () => {
    // Hangs are cut by the per-request timeout (2 s here, 30 s by default); 429s are waited out
    // for their retry-after (1 s), everything else backs off 10 ms doubling to 100 ms.
    process.env.FINETUNE_REQUEST_TIMEOUT_MS = '2000';
    try {
      const { id } = await launchFineTune(mlLead, input({ nEpochs: 1, suffix: 'fault-mix' }), { enqueue: false });
      await setFaults(world.trainer, parseFaultsEnv('429:0.3,500:0.2,hang:0.05'));
      const retries: string[] = [];
      const out = await processFineTuneInProcess(id, { ...FAST, onRetry: (e) => retries.push(e.message) });
      await setFaults(world.trainer, {});
      expect(out.status).toBe('succeeded');
      // The faults are drawn at random, so which kinds a run meets varies (a run of ~15 requests
      // meets no 500 about 3 % of the time, which failed CI once): the test above checks both
      // kinds at a higher rate; here every retry must name the provider, and the run succeeds once.
      expect(retries.length).toBeGreaterThan(0);
      for (const m of retries) expect(m).toMatch(/^Local trainer/);
      const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
      expect(run).toMatchObject({ status: 'succeeded', error: null, failingSince: null, failedAttempts: 0 });
      expect(run.fineTunedModel).toMatch(/^ft:local-base:local:fault-mix:/);
      expect((await providerJobsOf(world.client, id)).length).toBe(1);
    } finally {
      delete process.env.FINETUNE_REQUEST_TIMEOUT_MS;
    }
    // Usually 5–25 s (every 429 waits its 1 s retry-after, every hang its 2 s timeout); the
    // faults are random, so the tail is long.
  }, 180_000);

  it('a hung request is cut at the per-request timeout and retried', async () => {
    process.env.FINETUNE_REQUEST_TIMEOUT_MS = '300';
    try {
      const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
      await setFaults(world.trainer, { hang: 1, paths: '^/v1/files' });
      const e = await runFineTuneLaunch(id, FAST).catch((x: unknown) => x);
      expect(e).toMatchObject({ name: 'FineTuneRetry', transient: true, message: `Local trainer at ${world.trainer.url}/v1 did not answer within 0.3 s.` });
      await setFaults(world.trainer, {});
      expect((await runFineTuneLaunch(id, FAST)).providerJobId).toBeTruthy();
    } finally {
      delete process.env.FINETUNE_REQUEST_TIMEOUT_MS;
    }
  });

  it('a terminal 4xx fails the run with the provider message, without retrying', async () => {
    const { id } = await launchFineTune(mlLead, input({ baseModel: 'gpt-nonexistent' }), { enqueue: false });
    const retries: string[] = [];
    const out = await processFineTuneInProcess(id, { ...FAST, onRetry: (e) => retries.push(e.message) });
    expect(out.status).toBe('failed');
    expect(retries).toEqual([]);
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    expect(run.error).toMatch(/^Local trainer: 400 Model gpt-nonexistent is not available for fine-tuning/);
    expect(run.providerJobId).toBeNull();
    expect(run.finishedAt).not.toBeNull();
  });

  it('a wrong key (401) fails the run with the provider message', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    process.env.TRAINER_API_KEY = 'not-the-key';
    const out = await runFineTuneLaunch(id);
    expect(out.status).toBe('failed');
    expect((await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).error).toMatch(/^Local trainer: 401 /);
  });

  it('when the time budget runs out the run fails with the last provider message; before that it says it is retrying', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    await setFaults(world.trainer, { '500': 1, paths: '^/v1/files' });
    const seen: { error: string | null; failingSince: Date | null; failedAttempts: number }[] = [];
    const started = Date.now();
    const out = await processFineTuneInProcess(id, {
      ...FAST,
      retryBudgetMs: 400,
      onRetry: async () => {
        seen.push(await db().fineTuneJob.findUniqueOrThrow({ where: { id }, select: { error: true, failingSince: true, failedAttempts: true } }));
      },
    });
    expect(out.status).toBe('failed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    // Retried for the budget, by time: every attempt (in place and of the step) counted in one
    // streak from one start.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0].error).toMatch(/^Retrying: Local trainer: 500 /);
    expect(seen[0].failedAttempts).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i].failedAttempts).toBeGreaterThan(seen[i - 1].failedAttempts);
    expect(new Set(seen.map((s) => s.failingSince!.getTime())).size).toBe(1);
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    expect(run.error).toMatch(
      /^Local trainer: 500 The server had an error while processing your request \(injected by the local trainer\)\. \(gave up after \d+ attempts over [\d.]+ m?s: the retry budget, FINETUNE_RETRY_BUDGET_MS, is 400 ms\)$/,
    );
    expect(run).toMatchObject({ status: 'failed', failingSince: null, failedAttempts: 0, providerJobId: null });
  });

  it('with a tiny budget and every request a 500, the run fails at the first failure with the provider message', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    await setFaults(world.trainer, { '500': 1 });
    const retries: string[] = [];
    const out = await processFineTuneInProcess(id, { ...FAST, retryBudgetMs: 0, onRetry: (e) => retries.push(e.message) });
    expect(out.status).toBe('failed');
    expect(retries).toEqual([]);
    expect((await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).error).toMatch(/^Local trainer: 500 The server had an error/);
  });

  it('a streak that began before a restart keeps its start: the budget is not reset', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    await setFaults(world.trainer, { '500': 1, paths: '^/v1/files' });
    // The first step attempt (the upload tried 4 times: once and 3 times in place), in "the
    // process before the restart".
    await expect(runFineTuneLaunch(id, { ...FAST, retryBudgetMs: 60_000 })).rejects.toMatchObject({ name: 'FineTuneRetry', attempt: 4 });
    const first = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    expect(first.failingSince).not.toBeNull();
    // A new process 59 s later (its clock says so): the same streak goes on.
    const t0 = first.failingSince!.getTime();
    await expect(runFineTuneLaunch(id, { ...FAST, retryBudgetMs: 60_000, now: () => t0 + 59_000 })).rejects.toMatchObject({ attempt: 8 });
    expect((await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).failingSince!.getTime()).toBe(t0);
    // And 61 s after the first failure the budget is spent: the next failure fails the run.
    expect(await runFineTuneLaunch(id, { ...FAST, retryBudgetMs: 60_000, now: () => t0 + 61_000 })).toMatchObject({ status: 'failed' });
    expect((await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).error).toMatch(
      /^Local trainer: 500 .*gave up after 9 attempts over 1 min: the retry budget, FINETUNE_RETRY_BUDGET_MS, is 1 min\)$/,
    );
  });

  it('a step that succeeds ends the streak', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    await setFaults(world.trainer, { '500': 1, paths: '^/v1/files' });
    await expect(runFineTuneLaunch(id, FAST)).rejects.toMatchObject({ name: 'FineTuneRetry' });
    await setFaults(world.trainer, {});
    expect((await runFineTuneLaunch(id, FAST)).providerJobId).toBeTruthy();
    expect(await db().fineTuneJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ failingSince: null, failedAttempts: 0, error: null });
  });

  it('an unreachable trainer is transient and named in the message', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    const url = process.env.TRAINER_URL;
    const closed = `http://127.0.0.1:${await freePort()}`;
    process.env.TRAINER_URL = closed;
    try {
      await expect(runFineTuneLaunch(id, FAST)).rejects.toThrow(`The local trainer at ${closed}/v1 is not reachable`);
      const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
      expect(run.status).toBe('pending');
      expect(run.error).toBe(
        `Retrying: The local trainer at ${closed}/v1 is not reachable (ECONNREFUSED). Start it with npm run trainer (npm start runs it too).`,
      );
    } finally {
      process.env.TRAINER_URL = url;
    }
    expect((await runFineTuneLaunch(id)).providerJobId).toBeTruthy();
  });
});

describe('bad input changes nothing', () => {
  it('rejects each bad launch with an issue on its field (or 403), writing and queueing nothing', async () => {
    const before = await snapshotDatabase();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { datasetVersionId: world.evalOnlyVersionId },
        'datasetVersionId',
        /ft-eval-only v1 cannot be fine-tuned: 0 training examples; fine-tuning needs at least 10/,
      ],
      [{ datasetVersionId: 999_999 }, 'datasetVersionId', /does not exist/],
      [{ nEpochs: 0 }, 'nEpochs', /at least 1/],
      [{ nEpochs: 51 }, 'nEpochs', /at most 50/],
      [{ nEpochs: 2.5 }, 'nEpochs', /whole number/],
      [{ nEpochs: 'many' }, 'nEpochs', /"auto" or a whole number/],
      [{ batchSize: 257 }, 'batchSize', /at most 256/],
      [{ learningRateMultiplier: 0 }, 'learningRateMultiplier', /above 0/],
      [{ learningRateMultiplier: 10.5 }, 'learningRateMultiplier', /at most 10/],
      [{ suffix: 'a'.repeat(19) }, 'suffix', /at most 18 characters/],
      [{ suffix: 'Exit_Advisor' }, 'suffix', /lowercase letters, digits and "-"/],
      [{ seed: -1 }, 'seed', /at least 0/],
      [{ baseModel: '' }, 'baseModel', /choose a base model/],
      [{ provider: 'anyscale' }, 'provider', /one of local, openai, azure, together/],
      [{ provider: 'openai', baseModel: 'gpt-4.1-mini-2025-04-14' }, 'provider', /OpenAI is not configured/],
      [{ extra: 1 }, 'input', /extra/],
      // Together AI's own hyperparameters, refused for the others and checked for it.
      [{ learningRate: 0.0001 }, 'learningRate', /a Together AI setting; Local trainer does not take it/],
      [{ provider: 'together', learningRateMultiplier: 2 }, 'learningRateMultiplier', /Together AI takes a learning rate, not a multiplier/],
      [{ provider: 'together', nEpochs: 21 }, 'nEpochs', /Together AI trains at most 20 epochs/],
      [{ provider: 'together', learningRate: 0.5 }, 'learningRate', /at most 0.01/],
      [{ provider: 'together', loraR: 65 }, 'loraR', /at most 64/],
      [{ provider: 'together', lora: false, loraAlpha: 16 }, 'loraAlpha', /need LoRA on/],
      [{ provider: 'together', baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference' }, 'provider', /Together AI is not configured/],
      [{ provider: 'azure', baseModel: 'gpt-4o-mini-2024-07-18' }, 'provider', /Azure OpenAI is not configured/],
    ];
    for (const [overrides, field, message] of cases) {
      const e = await launchFineTune(mlLead, input(overrides)).catch((x: unknown) => x);
      expect(e, JSON.stringify(overrides)).toBeInstanceOf(FineTuneInputError);
      const issue = (e as FineTuneInputError).issues.find((i) => i.field === field);
      expect(issue?.message, `${JSON.stringify(overrides)} → ${JSON.stringify((e as FineTuneInputError).issues)}`).toMatch(message);
    }
    const denied = await launchFineTune(reviewer, input()).catch((x: unknown) => x);
    expect(denied).toBeInstanceOf(AuthError);
    expect((denied as AuthError).status).toBe(403);
    expect(await snapshotDatabase()).toEqual(before);
  });
});

describe('cancel', () => {
  it('cancels a run that never reached the provider on the spot', async () => {
    const { id } = await launchFineTune(mlLead, input(), { enqueue: false });
    expect(await cancelFineTune(mlLead, id)).toMatchObject({ id, status: 'cancelled', cancelRequested: true });
    // A launch queued before the cancel does nothing.
    expect(await runFineTuneLaunch(id)).toMatchObject({ status: 'cancelled', providerJobId: null, needsPoll: false });
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    expect(run.trainingFileId).toBeNull();
  });

  it('cancels a run on the provider and records it; reviewers may not; finished runs cannot be', async () => {
    const { id } = await launchFineTune(mlLead, input({ nEpochs: 50 }), { enqueue: false });
    const launched = await runFineTuneLaunch(id);
    expect(launched.needsPoll).toBe(true);

    const denied = await cancelFineTune(reviewer, id).catch((x: unknown) => x);
    expect(denied).toBeInstanceOf(AuthError);

    const r = await cancelFineTune(mlLead, id);
    expect(r).toMatchObject({ status: 'cancelled', cancelRequested: true, note: null });
    const pj = await world.client.fineTuning.jobs.retrieve(launched.providerJobId!);
    expect(pj.status).toBe('cancelled');
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id } });
    expect(run.finishedAt).not.toBeNull();
    expect(await db().fineTuneEvent.findFirst({ where: { jobId: id, message: 'Fine-tuning job cancelled' } })).not.toBeNull();
    expect(await runFineTunePoll(id)).toMatchObject({ status: 'cancelled', needsPoll: false });
    // Cancelling again is a no-op; a failed run cannot be cancelled.
    expect((await cancelFineTune(mlLead, id)).status).toBe('cancelled');
    const { id: failedId } = await launchFineTune(mlLead, input({ baseModel: 'nope' }), { enqueue: false });
    await runFineTuneLaunch(failedId);
    await expect(cancelFineTune(mlLead, failedId)).rejects.toThrow(/already failed/);
  });

  it('a cancel the provider could not take yet is passed on by the poller', async () => {
    const { id } = await launchFineTune(mlLead, input({ nEpochs: 50 }), { enqueue: false });
    const { providerJobId } = await runFineTuneLaunch(id);
    await setFaults(world.trainer, { '500': 1, paths: '/cancel$' });
    const r = await cancelFineTune(mlLead, id);
    expect(r.status).not.toBe('cancelled');
    expect(r.note).toMatch(/Local trainer: 500/);
    await setFaults(world.trainer, {});
    expect(await runFineTunePoll(id)).toMatchObject({ status: 'cancelled', needsPoll: false });
    expect((await world.client.fineTuning.jobs.retrieve(providerJobId!)).status).toBe('cancelled');
  });
});
