import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { writeExportFiles } from '../datasets/export-files';
import { stopQueue, jobQueue } from '../jobs/queue';
import { waitForJob } from '../local-trainer/testing/trainer';
import { startAutoEvalsForFineTune } from './auto-evals';
import { compareEvalRuns, runsInProgress } from './compare';
import { DISAGREEMENTS_PAGE_SIZE, listDisagreements, type Disagreement, type DisagreementKind } from './disagreements';
import { EvalInputError } from './errors';
import { classificationMetrics, compareMetrics, isCorrect, mcnemarTest, type Prediction } from './metrics';
import { comparisonForFineTune, evalLineage, getEvalRun } from './queries';
import { runEval } from './run-eval';
import { startEvalRun } from './start-eval-run';
import {
  FAST_RETRY,
  mlLead,
  otherLead,
  predictionsOf,
  readyVersion,
  resetWithCorpus,
  reviewer,
  startTrainerForEvals,
  TRAINER_KEY,
  type TestTrainer,
} from './test-fixtures';

let t: TestTrainer;
let version: Awaited<ReturnType<typeof readyVersion>>;
let fineTunedModel: string;
let jobFinishedAt: Date;

/** Trains a model on the version's train split with the local trainer, through the SDK. */
async function trainOnVersion(versionId: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evals-export-'));
  try {
    await writeExportFiles(versionId, dir);
    const client = new OpenAI({ apiKey: TRAINER_KEY, baseURL: `${t.trainer.url}/v1`, maxRetries: 0 });
    const file = await client.files.create({ file: await toFile(fs.readFileSync(path.join(dir, 'train.jsonl')), 'train.jsonl'), purpose: 'fine-tune' });
    const job = await client.fineTuning.jobs.create({ model: 'local-base', training_file: file.id, seed: 1, suffix: 'evals' });
    const done = await waitForJob(client, job.id, 60_000);
    if (done.status !== 'succeeded' || !done.fine_tuned_model) throw new Error(`training failed: ${JSON.stringify(done.error)}`);
    return done.fine_tuned_model;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function fineTuneRow(model: string | null, status: 'succeeded' | 'running' = 'succeeded', finishedAt: Date | null = jobFinishedAt) {
  return db().fineTuneJob.create({
    data: {
      datasetVersionId: version.id,
      provider: 'local',
      baseModel: 'local-base',
      hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto' },
      idempotencyKey: `test-${Math.random()}`,
      status,
      fineTunedModel: model,
      finishedAt,
      createdById: otherLead.id,
    },
  });
}

beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  version = await readyVersion('evals-compare', { split: { train: 0.5, validation: 0.1, test: 0.4 }, includeTurnsWithoutCandidate: true });
  fineTunedModel = await trainOnVersion(version.id);
  jobFinishedAt = new Date('2026-11-20T10:00:00Z');
}, 120_000);

afterAll(async () => {
  await stopQueue();
  await t?.close();
});

beforeEach(async () => {
  await db().$executeRawUnsafe('TRUNCATE eval_runs, eval_predictions, fine_tune_jobs RESTART IDENTITY CASCADE');
  const boss = await jobQueue();
  await boss.deleteAllJobs('eval-run');
});

describe('automatic evals after a fine-tune', () => {
  it('starts the fine-tuned and the base model once, on the test split, as the creator; runs and compares them', async () => {
    const job = await fineTuneRow(fineTunedModel);
    const auto = await startAutoEvalsForFineTune(job.id);
    expect(auto.skipped).toBeNull();
    expect(auto.created).toHaveLength(2);
    const again = await startAutoEvalsForFineTune(job.id);
    expect(again).toMatchObject({ fineTunedRunId: auto.fineTunedRunId, baseRunId: auto.baseRunId, created: [] });
    // Concurrent calls (two pollers) still make one run per model.
    await Promise.all([startAutoEvalsForFineTune(job.id), startAutoEvalsForFineTune(job.id)]);
    expect(await db().evalRun.count()).toBe(2);

    const ft = await db().evalRun.findUniqueOrThrow({ where: { id: auto.fineTunedRunId! } });
    const base = await db().evalRun.findUniqueOrThrow({ where: { id: auto.baseRunId! } });
    expect(ft).toMatchObject({
      model: fineTunedModel,
      provider: 'local',
      split: 'test',
      status: 'queued',
      fineTuneJobId: job.id,
      createdById: otherLead.id,
      datasetVersionId: version.id,
    });
    expect(ft.modelCreatedAt).toEqual(jobFinishedAt);
    expect(base).toMatchObject({ model: 'local-base', fineTuneJobId: job.id, createdById: otherLead.id, modelCreatedAt: null });
    // Both were handed to the worker, once each.
    const queued = await db().$queryRawUnsafe<{ data: { runId: number } }[]>(
      `SELECT data FROM pgboss.job WHERE name = 'eval-run' AND state = 'created' ORDER BY (data->>'runId')::int`,
    );
    expect(queued.map((q) => q.data.runId)).toEqual([auto.fineTunedRunId, auto.baseRunId]);

    expect(await comparisonForFineTune(reviewer, job.id)).toMatchObject({
      fineTunedRunId: ft.id,
      baseRunId: base.id,
      fineTunedStatus: 'queued',
      runIds: [ft.id, base.id],
    });
    await expect(compareEvalRuns(reviewer, [ft.id, base.id])).rejects.toThrow(/only finished runs/);
    // The compare page shows these two as in progress (in the order asked) until they end.
    expect((await runsInProgress(reviewer, [base.id, ft.id, 9999])).map((r) => [r.id, r.status])).toEqual([
      [base.id, 'queued'],
      [ft.id, 'queued'],
    ]);

    for (const id of [ft.id, base.id]) expect((await runEval(id, { retry: FAST_RETRY })).status).toBe('succeeded');
    const run = await getEvalRun(reviewer, ft.id);
    expect(run!.fineTune).toMatchObject({ id: job.id, fineTunedModel, baseModel: 'local-base', role: 'fine-tuned' });

    const cmp = await compareEvalRuns(reviewer, [ft.id, base.id]);
    const toPred = (p: { truth: Prediction['truth']; predicted: string }) => ({ truth: p.truth, predicted: p.predicted as Prediction['predicted'] });
    const [ftPreds, basePreds] = [(await predictionsOf(ft.id)).map(toPred), (await predictionsOf(base.id)).map(toPred)];
    expect(cmp.runs.map((r) => r.id)).toEqual([ft.id, base.id]);
    expect(cmp.runs[0].metrics).toEqual(classificationMetrics(ftPreds));
    expect(cmp.runs[1].metrics).toEqual(classificationMetrics(basePreds));
    expect(cmp.deltas).toEqual([
      { runId: base.id, baselineRunId: ft.id, delta: compareMetrics(classificationMetrics(ftPreds), classificationMetrics(basePreds)) },
    ]);
    // McNemar by hand: pairs by ordinal (both runs cover the same examples in the same order),
    // clustered by the conversation each turn came from.
    const convs = (await predictionsOf(ft.id)).map((p) => p.conversationId);
    const pairs = ftPreds.map((a, i) => ({ aCorrect: isCorrect(a), bCorrect: isCorrect(basePreds[i]), cluster: convs[i] }));
    const expected = mcnemarTest(pairs);
    expect(expected.method).toBe('cluster-exact');
    const differ = ftPreds.flatMap((a, i) => (a.predicted !== basePreds[i].predicted ? [i] : []));
    expect(cmp.mcnemar).toEqual([{ runId: base.id, baselineRunId: ft.id, unmatched: 0, differ: differ.length, ...expected }]);
    // The disagreement list, page by page (keyset), is exactly the examples answered differently,
    // and each filter those only one run got right.
    const ftRows = await predictionsOf(ft.id);
    const walk = async (kind: DisagreementKind) => {
      const seen: Disagreement[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await listDisagreements(reviewer, { baseRunId: ft.id, otherRunId: base.id, kind, after });
        expect(page.rows.length).toBeLessThanOrEqual(DISAGREEMENTS_PAGE_SIZE);
        seen.push(...page.rows);
        if (page.nextAfter === null) return seen;
        after = page.nextAfter;
      }
    };
    const all = await walk('all');
    expect(all.map((r) => r.ordinal)).toEqual(differ.map((i) => ftRows[i].ordinal));
    expect(all[0]).toMatchObject({
      truth: ftPreds[differ[0]].truth,
      basePredicted: ftPreds[differ[0]].predicted,
      otherPredicted: basePreds[differ[0]].predicted,
    });
    expect(all[0].externalId).toEqual(expect.any(String));
    expect((await walk('base-right')).length).toBe(cmp.mcnemar[0].b10);
    expect((await walk('other-right')).length).toBe(cmp.mcnemar[0].b01);
    await expect(listDisagreements(reviewer, { baseRunId: ft.id, otherRunId: ft.id })).rejects.toThrow(/not itself/);
    await expect(listDisagreements(reviewer, { baseRunId: ft.id, otherRunId: base.id, kind: 'nope' as DisagreementKind })).rejects.toThrow(/kind must be/);
    await expect(listDisagreements(null, { baseRunId: ft.id, otherRunId: base.id })).rejects.toMatchObject({ status: 401 });
    expect(cmp.mcnemar[0].b01 + cmp.mcnemar[0].b10).toBe(pairs.filter((p) => p.aCorrect !== p.bCorrect).length);
    // Which model wins on this small generated split says nothing (bench:learning and the golden
    // set measure that); the comparison only has to report it.
    expect(Number.isFinite(cmp.deltas[0].delta.accuracy)).toBe(true);
    expect(typeof cmp.mcnemar[0].significant).toBe('boolean');
    expect(cmp.mcnemar[0].pValue).toBeGreaterThan(0);
    expect(cmp.mcnemar[0].pValue).toBeLessThanOrEqual(1);

    expect(await comparisonForFineTune(reviewer, job.id)).toMatchObject({ fineTunedStatus: 'succeeded', baseStatus: 'succeeded' });
    expect(await runsInProgress(reviewer, [ft.id, base.id])).toEqual([]);
  }, 60_000);

  it('does nothing for a fine-tune that has not succeeded, or with AUTO_EVAL_AFTER_FINETUNE off', async () => {
    const running = await fineTuneRow(null, 'running', null);
    expect(await startAutoEvalsForFineTune(running.id)).toMatchObject({ skipped: expect.stringMatching(/not succeeded/), created: [] });
    expect(await startAutoEvalsForFineTune(9999)).toMatchObject({ skipped: expect.stringMatching(/does not exist/) });
    const job = await fineTuneRow(fineTunedModel);
    process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';
    try {
      expect(await startAutoEvalsForFineTune(job.id)).toMatchObject({ skipped: expect.stringMatching(/off/) });
    } finally {
      delete process.env.AUTO_EVAL_AFTER_FINETUNE;
    }
    expect(await db().evalRun.count()).toBe(0);
    expect(await comparisonForFineTune(reviewer, job.id)).toMatchObject({ fineTunedRunId: null, baseRunId: null, runIds: [] });
  });
});

describe('comparing runs', () => {
  it('needs two or more finished runs on the same version and split', async () => {
    const start = (split: 'test' | 'validation') =>
      startEvalRun(mlLead, { datasetVersionId: version.id, model: 'local-base', provider: 'local', split }, { enqueue: false });
    const a = await start('test');
    const b = await start('test');
    const v = await start('validation');
    for (const r of [a, b, v]) await runEval(r.runId, { retry: FAST_RETRY });

    await expect(compareEvalRuns(reviewer, [a.runId])).rejects.toBeInstanceOf(EvalInputError);
    await expect(compareEvalRuns(reviewer, [a.runId, a.runId])).rejects.toThrow(/listed twice/);
    await expect(compareEvalRuns(reviewer, [a.runId, 9999])).rejects.toThrow(/no eval run 9999/);
    await expect(compareEvalRuns(reviewer, [a.runId, v.runId])).rejects.toThrow(/same dataset version and split/);
    await expect(compareEvalRuns(null, [a.runId, b.runId])).rejects.toMatchObject({ status: 401 });

    // The same model twice: identical answers, no discordant pairs, nothing significant.
    const same = await compareEvalRuns(reviewer, [a.runId, b.runId]);
    expect(same.mcnemar[0]).toMatchObject({ b01: 0, b10: 0, differ: 0, pValue: 1, significant: false, unmatched: 0 });
    expect(await listDisagreements(reviewer, { baseRunId: a.runId, otherRunId: b.runId })).toEqual({ rows: [], nextAfter: null });
    await expect(listDisagreements(reviewer, { baseRunId: a.runId, otherRunId: v.runId })).rejects.toThrow(/same dataset version and split/);
    expect(same.deltas[0].delta.accuracy).toBe(0);
  });
});

describe('lineage', () => {
  it('orders succeeded runs of every version by model creation: base models first, then fine-tunes by finish time', async () => {
    const v2 = await readyVersion('evals-compare', { split: { train: 0.5, validation: 0.1, test: 0.4 }, includeTurnsWithoutCandidate: true });
    const mk = async (datasetVersionId: number, model: string, modelCreatedAt: Date | null) => {
      const r = await startEvalRun(mlLead, { datasetVersionId, model, provider: 'local', modelCreatedAt }, { enqueue: false });
      await runEval(r.runId, { retry: FAST_RETRY });
      return r.runId;
    };
    const later = await mk(v2.id, fineTunedModel, new Date('2026-11-22T00:00:00Z'));
    const earlier = await mk(version.id, fineTunedModel, new Date('2026-11-21T00:00:00Z'));
    const base = await mk(v2.id, 'local-base', null);
    const failed = await startEvalRun(mlLead, { datasetVersionId: version.id, model: 'no-such-model', provider: 'local' }, { enqueue: false });
    expect((await runEval(failed.runId, { retry: FAST_RETRY })).status).toBe('failed');
    const onValidation = await startEvalRun(
      mlLead,
      { datasetVersionId: version.id, model: 'local-base', provider: 'local', split: 'validation' },
      { enqueue: false },
    );
    await runEval(onValidation.runId, { retry: FAST_RETRY });

    const lineage = await evalLineage(reviewer, version.datasetId);
    expect(lineage!.points.map((p) => p.id)).toEqual([base, earlier, later]);
    expect(lineage!.points.map((p) => p.version)).toEqual([v2.version, version.version, v2.version]);
    expect(lineage!.points[0]).toMatchObject({ isBase: true, model: 'local-base' });
    for (const p of lineage!.points) {
      expect(p.accuracy).toBeGreaterThan(0);
      expect(p.macroF1).toBeGreaterThan(0);
    }
    expect((await evalLineage(reviewer, version.datasetId, { split: 'validation' }))!.points.map((p) => p.id)).toEqual([onValidation.runId]);
    expect(await evalLineage(reviewer, 9999)).toBeNull();
  });
});

describe('fair comparisons', () => {
  it('records how many of the evaluated conversations the model was trained or validated on', async () => {
    await fineTuneRow(fineTunedModel);
    const trainConvs = await db().datasetExample.findMany({
      where: { versionId: version.id, split: { in: ['train', 'validation'] } },
      distinct: ['conversationId'],
      select: { conversationId: true },
    });
    const onTrain = await startEvalRun(mlLead, { datasetVersionId: version.id, model: fineTunedModel, provider: 'local', split: 'train' }, { enqueue: false });
    const onTest = await startEvalRun(mlLead, { datasetVersionId: version.id, model: fineTunedModel, provider: 'local', split: 'test' }, { enqueue: false });
    const base = await startEvalRun(mlLead, { datasetVersionId: version.id, model: 'local-base', provider: 'local', split: 'train' }, { enqueue: false });
    const trainSplitConvs = await db().datasetExample.findMany({
      where: { versionId: version.id, split: 'train' },
      distinct: ['conversationId'],
      select: { conversationId: true },
    });
    expect(trainConvs.length).toBeGreaterThanOrEqual(trainSplitConvs.length);
    const overlap = async (id: number) => (await db().evalRun.findUniqueOrThrow({ where: { id } })).trainedOverlap;
    expect(await overlap(onTrain.runId)).toBe(trainSplitConvs.length);
    expect(await overlap(onTest.runId)).toBe(0);
    expect(await overlap(base.runId)).toBeNull();
  });
});

describe('the golden companion', () => {
  it('every run on a labels dataset is also scored on the golden set, once, and the golden run is never trained on', async () => {
    const { ensureGoldenCompanion } = await import('./golden-companion');
    await fineTuneRow(fineTunedModel);
    const parent = await startEvalRun(mlLead, { datasetVersionId: version.id, model: fineTunedModel, provider: 'local' }, { enqueue: false });
    const companions = await Promise.all([1, 2].map(() => ensureGoldenCompanion(parent.runId, { enqueue: false })));
    expect(new Set(companions.map((c) => c!.runId)).size).toBe(1);
    const golden = await db().evalRun.findUniqueOrThrow({ where: { id: companions[0]!.runId }, include: { datasetVersion: { include: { dataset: true } } } });
    expect(golden).toMatchObject({
      goldenOfRunId: parent.runId,
      model: fineTunedModel,
      split: 'test',
      trainedOverlap: 0,
      datasetVersion: { dataset: { kind: 'golden' } },
    });
    expect(await ensureGoldenCompanion(golden.id)).toBeNull();
    const r = await runEval(golden.id, { retry: FAST_RETRY });
    expect(r.status).toBe('succeeded');
    expect(r.metrics!.n).toBeGreaterThanOrEqual(400);
    expect(r.metrics!.calibration?.ece).not.toBeNull();
    expect(r.metrics!.accuracyCi?.unit).toBe('conversation');
  });
});
