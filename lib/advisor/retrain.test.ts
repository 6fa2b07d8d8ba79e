// "Retrain with new labels" against a real PostgreSQL and the real local trainer: who may ask,
// why a base model cannot be retrained, the next version of the lineage with the same
// parameters and stable splits, a fine-tune with the advisor's own settings launched once (a
// retried step finds it), and its automatic evals with the golden set beside the test split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { ForbiddenError } from '../errors';
import { ensureGoldenCompanion } from '../evals/golden-companion';
import { runEval } from '../evals/run-eval';
import { launchFineTune } from '../finetunes/launch-fine-tune';
import { processFineTuneInProcess } from '../finetunes/worker-jobs';
import { FAST } from '../finetunes/test-fixtures';
import { loadGoldenSet } from '../golden/ensure-golden-version';
import { labelTurn } from '../labeling/label-turn';
import { snapshotDatabase } from '../testing/db-snapshot';
import { mlLead, otherLead, readyVersion, resetWithCorpus, reviewer, startTrainerForEvals, type TestTrainer } from '../evals/test-fixtures';
import { closeAdvisorPool } from './pool';
import { currentPromotion, promoteModel } from './promotions';
import { requestRetrain, retrainPlan, runRetrainStep } from './retrain';
import { retrainPanel } from './retrain-status';

let t: TestTrainer;
let sourceVersionId: number;
let sourceJobId: number;
let fineTuned: string;

beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  await loadGoldenSet();
  const v = await readyVersion('retrain-lineage', { context: 5, seed: 11 });
  sourceVersionId = v.id;
  const launched = await launchFineTune(
    mlLead,
    { datasetVersionId: v.id, provider: 'local', baseModel: 'local-base', nEpochs: 2, batchSize: 8, learningRateMultiplier: 0.5, suffix: 'advisor', seed: 7 },
    { enqueue: false },
  );
  sourceJobId = launched.id;
  expect((await processFineTuneInProcess(launched.id, FAST)).status).toBe('succeeded');
  fineTuned = (await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } })).fineTunedModel!;
}, 240_000);

afterAll(async () => {
  await closeAdvisorPool();
  await t?.close();
});

describe('who and when', () => {
  it('a promoted base model cannot be retrained, and says why', async () => {
    await promoteModel(mlLead, { model: 'local-base' });
    const plan = await retrainPlan();
    expect(plan.possible).toBe(false);
    const before = await snapshotDatabase();
    await expect(requestRetrain(mlLead)).rejects.toThrow(/is a base model, not a fine-tune made in the Studio: it has no dataset lineage/);
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('needs ml_lead/admin, new labels since the version was built, and the lineage owner; refusals write nothing', async () => {
    await promoteModel(mlLead, { model: fineTuned, note: 'ft' });
    const before = await snapshotDatabase();
    await expect(requestRetrain(reviewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(requestRetrain(mlLead)).rejects.toThrow(/No label was added or changed since retrain-lineage v1 was built/);
    expect(await snapshotDatabase()).toEqual(before);

    // A reviewer labels a turn nobody had labeled: now there is something new to learn from.
    const unlabeled = await db().$queryRaw<{ id: number }[]>`
      SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.sender = 'recruiter' AND m.position > 0 AND NOT c.is_golden AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id)
      ORDER BY m.id LIMIT 3`;
    expect(unlabeled.length).toBeGreaterThan(0);
    for (const m of unlabeled) await labelTurn(reviewer, { messageId: m.id, value: 'CONTINUE' });
    const plan = await retrainPlan();
    expect(plan).toMatchObject({
      possible: true,
      datasetName: 'retrain-lineage',
      sourceVersion: 1,
      labelChangesSince: unlabeled.length,
      baseModel: 'local-base',
    });

    const again = await snapshotDatabase();
    await expect(requestRetrain(otherLead)).rejects.toThrow(/belongs to ml@test, and only a lineage's owner adds versions/);
    expect(await snapshotDatabase()).toEqual(again);
  });
});

describe('the chain', () => {
  let retrainId: number;
  let newVersionId: number;

  it('records the next version of the lineage with the same parameters; a second request while it runs is refused', async () => {
    const r = await requestRetrain(mlLead, { enqueue: false });
    retrainId = r.retrainId;
    newVersionId = r.datasetVersionId;
    expect(r).toMatchObject({ datasetName: 'retrain-lineage', version: 2 });
    const [src, next] = await Promise.all([
      db().datasetVersion.findUniqueOrThrow({ where: { id: sourceVersionId } }),
      db().datasetVersion.findUniqueOrThrow({ where: { id: newVersionId } }),
    ]);
    expect(next.datasetId).toBe(src.datasetId);
    expect(next.params).toEqual(src.params);
    expect(next.status).toBe('queued');
    await expect(requestRetrain(mlLead, { enqueue: false })).rejects.toThrow(/still running/);
  });

  it('builds it with stable splits, then launches one fine-tune with the same settings; a repeated step launches nothing more', async () => {
    const splitsBefore = await db().datasetSplitAssignment.findMany({ orderBy: { conversationId: 'asc' } });
    expect(await runRetrainStep(retrainId, { enqueueLaunch: false })).toBe('launched');
    const version = await db().datasetVersion.findUniqueOrThrow({ where: { id: newVersionId } });
    expect(version.status).toBe('ready');
    // Conversations placed by v1 keep their split; only conversations new to the lineage were placed.
    const splitsAfter = await db().datasetSplitAssignment.findMany({ orderBy: { conversationId: 'asc' } });
    for (const s of splitsBefore) expect(splitsAfter.find((a) => a.conversationId === s.conversationId)).toEqual(s);
    expect(splitsAfter.every((a) => a.firstVersion === 1 || a.firstVersion === 2)).toBe(true);

    const retrain = await db().advisorRetrain.findUniqueOrThrow({ where: { id: retrainId } });
    const [source, job] = await Promise.all([
      db().fineTuneJob.findUniqueOrThrow({ where: { id: sourceJobId } }),
      db().fineTuneJob.findUniqueOrThrow({ where: { id: retrain.fineTuneJobId! } }),
    ]);
    expect(job).toMatchObject({
      datasetVersionId: newVersionId,
      provider: source.provider,
      baseModel: source.baseModel,
      hyperparameters: source.hyperparameters,
      suffix: 'advisor',
      seed: 7,
      createdById: mlLead.id,
      status: 'pending',
    });
    expect(source.hyperparameters).toEqual({ n_epochs: 2, batch_size: 8, learning_rate_multiplier: 0.5 });

    expect(await runRetrainStep(retrainId, { enqueueLaunch: false })).toBe('already-launched');
    // A crash between recording the fine-tune and linking it: the retried step adopts it.
    await db().advisorRetrain.update({ where: { id: retrainId }, data: { fineTuneJobId: null } });
    expect(await runRetrainStep(retrainId, { enqueueLaunch: false })).toBe('launched');
    expect((await db().advisorRetrain.findUniqueOrThrow({ where: { id: retrainId } })).fineTuneJobId).toBe(job.id);
    expect(await db().fineTuneJob.count({ where: { datasetVersionId: newVersionId } })).toBe(1);
    expect((await retrainPanel(reviewer)).latest).toMatchObject({ id: retrainId, stage: 'training', fineTune: { id: job.id } });
  });

  it('the fine-tune evaluates itself on the test split and the golden set; the advisor does not change', async () => {
    const advisorBefore = (await currentPromotion())!;
    const { fineTuneJobId } = await db().advisorRetrain.findUniqueOrThrow({ where: { id: retrainId } });
    expect((await processFineTuneInProcess(fineTuneJobId!, FAST)).status).toBe('succeeded');
    const job = await db().fineTuneJob.findUniqueOrThrow({ where: { id: fineTuneJobId! } });
    // The poller started the automatic evals; run the new model's as the worker would.
    const run = await db().evalRun.findFirstOrThrow({ where: { fineTuneJobId: job.id, model: job.fineTunedModel!, split: 'test', goldenOfRunId: null } });
    expect(run.datasetVersionId).toBe(newVersionId);
    expect((await retrainPanel(reviewer)).latest?.stage).toBe('evaluating');
    const golden = await ensureGoldenCompanion(run.id, { enqueue: false });
    expect(golden).not.toBeNull();
    await runEval(run.id);
    await runEval(golden!.runId);
    // The advisor's own figures, to sit beside the new model's.
    const advisorRun = await db().evalRun.findFirst({ where: { model: fineTuned, split: 'test' } });
    if (advisorRun) await runEval(advisorRun.id).catch(() => {});

    const panel = await retrainPanel(reviewer);
    expect(panel.latest).toMatchObject({ stage: 'done', fineTune: { status: 'succeeded', model: job.fineTunedModel } });
    expect(panel.latest!.figures!.retrained.test).toMatchObject({ runId: run.id });
    expect(panel.latest!.figures!.retrained.golden).toMatchObject({ runId: golden!.runId });
    expect(panel.latest!.figures!.retrained.golden!.accuracy).toBeGreaterThan(0);
    expect((await currentPromotion())!.id).toBe(advisorBefore.id);
  }, 180_000);
});
