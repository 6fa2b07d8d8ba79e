import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../auth/errors';
import { db } from '../db';
import { stopQueue, jobQueue } from '../jobs/queue';
import { snapshotDatabase } from '../testing/db-snapshot';
import { EvalInputError } from './errors';
import { LABELS, PREDICTED } from './metrics';
import { getEvalRun, getEvalRunLive, listEvalRuns, listPredictions } from './queries';
import { runEval } from './run-eval';
import { cancelEvalRun, startEvalRun } from './start-eval-run';
import type { EvalMetrics } from './summarize';
import { handleEvalRunJob, type EvalRunJob } from './worker-job';
import {
  admin,
  examplesOfSplit,
  FAST_RETRY,
  mlLead,
  predictionsOf,
  readyVersion,
  resetWithCorpus,
  reviewer,
  setFaults,
  startTrainerForEvals,
  type TestTrainer,
} from './test-fixtures';

let t: TestTrainer;
let version: Awaited<ReturnType<typeof readyVersion>>;
let testExamples: Awaited<ReturnType<typeof examplesOfSplit>>;

beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  // A large test share: the 120-conversation sample has only ~1/3 of its turns labeled.
  version = await readyVersion('evals', { split: { train: 0.5, validation: 0.1, test: 0.4 }, includeTurnsWithoutCandidate: true });
  testExamples = await examplesOfSplit(version.id);
}, 120_000);

afterAll(async () => {
  await stopQueue();
  await t?.close();
});

beforeEach(async () => {
  await db().$executeRawUnsafe('TRUNCATE eval_runs, eval_predictions RESTART IDENTITY CASCADE');
  await setFaults(t, {});
});

const start = (input: Partial<Parameters<typeof startEvalRun>[1]> = {}) =>
  startEvalRun(mlLead, { datasetVersionId: version.id, model: 'local-base', provider: 'local', concurrency: 4, ...input }, { enqueue: false });

describe('an eval run', () => {
  it('stores one prediction per test example with confidences, and metrics that agree with the predictions', async () => {
    expect(testExamples.length).toBeGreaterThanOrEqual(30);
    const started = await start();
    expect(started.progressTotal).toBe(testExamples.length);
    expect(await getEvalRunLive(reviewer, started.runId)).toMatchObject({ status: 'queued', progressDone: 0, progressTotal: testExamples.length });

    const progress: number[] = [];
    const r = await runEval(started.runId, { onProgress: (p) => progress.push(p.done), retry: FAST_RETRY });
    expect(r.status).toBe('succeeded');
    expect(progress.at(-1)).toBe(testExamples.length);

    const preds = await predictionsOf(started.runId);
    expect(preds.map((p) => p.ordinal)).toEqual(testExamples.map((e) => e.ordinal));
    for (const [i, p] of preds.entries()) {
      const ex = testExamples[i];
      expect(p).toMatchObject({ conversationId: ex.conversationId, messageId: ex.messageId, truth: ex.label, error: null });
      expect(PREDICTED).toContain(p.predicted);
      // local-base answers a label exactly, with the label as its one token: confidence = its probability.
      expect(LABELS).toContain(p.predicted);
      expect(p.rawOutput).toBe(p.predicted);
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.latencyMs).toBeGreaterThanOrEqual(0);
      expect(p.promptTokens).toBeGreaterThan(0);
      // The local trainer's tokens are 4-character pieces: END 1, CONTINUE 2, SCHEDULE 2.
      expect(p.completionTokens).toBe(Math.ceil(p.predicted.length / 4));
    }

    const run = await getEvalRun(reviewer, started.runId);
    expect(run).toMatchObject({ status: 'succeeded', progressDone: preds.length, progressTotal: preds.length, error: null });
    expect(run!.startedAt).toBeInstanceOf(Date);
    expect(run!.finishedAt).toBeInstanceOf(Date);
    expect(run!.settings).toEqual({ concurrency: 4, maxTokens: 5, temperature: 0, logprobs: true, topLogprobs: 3 });
    const m = run!.metrics as EvalMetrics;
    expect(m.n).toBe(preds.length);
    const cells = LABELS.flatMap((truth) => PREDICTED.map((p) => m.confusion[truth][p]));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(preds.length);
    for (const truth of LABELS) {
      for (const p of PREDICTED) expect(m.confusion[truth][p], `${truth}→${p}`).toBe(preds.filter((x) => x.truth === truth && x.predicted === p).length);
    }
    const correct = preds.filter((p) => p.truth === p.predicted).length;
    expect(m.correct).toBe(correct);
    expect(run!.accuracy).toBeCloseTo(correct / preds.length, 12);
    expect(run!.macroF1).toBeCloseTo(m.macroF1!, 12);
    expect(m.accuracyCi!.low).toBeLessThanOrEqual(m.accuracy!);
    expect(m.accuracyCi!.high).toBeGreaterThanOrEqual(m.accuracy!);
    expect(m.withConfidence).toBe(preds.length);
    expect(m.thresholdCurve).toHaveLength(21);
    expect(m.thresholdCurve![0]).toMatchObject({ threshold: 0, covered: preds.length, correct });
    const covered = preds.filter((p) => p.confidence! >= 0.7);
    expect(m.atThreshold).toMatchObject({ threshold: 0.7, covered: covered.length, correct: covered.filter((p) => p.truth === p.predicted).length });
    expect(m.atThreshold!.metrics.n).toBe(covered.length);
    expect(m.errors).toBe(0);
    expect(m.tokens.completion).toBe(preds.reduce((s, p) => s + p.completionTokens!, 0));
    expect(new Set(preds.map((p) => p.predicted)).size).toBeGreaterThan(1);

    // The list shows it with its dataset; the drill-down pages through one confusion cell.
    const list = await listEvalRuns(reviewer);
    expect(list.runs[0]).toMatchObject({
      id: started.runId,
      model: 'local-base',
      provider: 'local',
      datasetName: 'evals',
      version: version.version,
      split: 'test',
      status: 'succeeded',
    });
    const cell = LABELS.flatMap((truth) => LABELS.map((p) => ({ truth, predicted: p, n: m.confusion[truth][p] }))).sort((a, b) => b.n - a.n)[0];
    const seen: number[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await listPredictions(reviewer, started.runId, { truth: cell.truth, predicted: cell.predicted, after });
      expect(page!.predictions.length).toBeLessThanOrEqual(20);
      for (const p of page!.predictions) {
        expect(p).toMatchObject({ truth: cell.truth, predicted: cell.predicted });
        const ex = testExamples.find((e) => e.ordinal === p.ordinal)!;
        expect(p).toMatchObject({
          externalId: ex.externalId,
          conversationId: ex.conversationId,
          messageId: ex.messageId,
          userContent: ex.userContent,
          rawOutput: cell.predicted,
        });
        seen.push(p.ordinal);
      }
      if (page!.nextAfter === null) break;
      after = page!.nextAfter;
    }
    expect(seen.length).toBe(cell.n);
    expect(new Set(seen).size).toBe(cell.n);

    // Running it again changes nothing: the run has ended.
    const again = await runEval(started.runId);
    expect(again.status).toBe('succeeded');
    expect(again.stats.requests).toBe(0);
  });

  it('retries injected 429s and 500s (honouring retry-after) and still scores every example', async () => {
    await setFaults(t, { '429': 0.3, '500': 0.2, retry_after_ms: 5, paths: '^/v1/chat/completions$' });
    const started = await start({ concurrency: 8 });
    const r = await runEval(started.runId, { retry: FAST_RETRY });
    expect(r.status).toBe('succeeded');
    expect(r.stats.rateLimited).toBeGreaterThan(0);
    expect(r.stats.serverErrors).toBeGreaterThan(0);
    // Every request either answers (one per example) or fails with an injected 429/500. A failure is
    // retried at once, or — when it was an example's last attempt, which happens now and then at
    // these rates — the example waits for the next pass, so retries can fall short of the failures.
    expect(r.stats.requests).toBe(testExamples.length + r.stats.rateLimited + r.stats.serverErrors);
    expect(r.stats.retries).toBeGreaterThan(0);
    expect(r.stats.retries).toBeLessThanOrEqual(r.stats.rateLimited + r.stats.serverErrors);
    const preds = await predictionsOf(started.runId);
    expect(preds).toHaveLength(testExamples.length);
    expect(preds.every((p) => p.error === null && p.predicted !== 'invalid')).toBe(true);

    // Same answers as without faults (temperature 0).
    await setFaults(t, {});
    const clean = await start();
    await runEval(clean.runId, { retry: FAST_RETRY });
    expect((await predictionsOf(clean.runId)).map((p) => p.predicted)).toEqual(preds.map((p) => p.predicted));
  });

  it('retries requests that time out (a trainer that never answers some of them)', async () => {
    await setFaults(t, { hang: 0.2, paths: '^/v1/chat/completions$' });
    const started = await start({ concurrency: 8 });
    const r = await runEval(started.runId, { retry: { ...FAST_RETRY, timeoutMs: 200 } });
    expect(r.status).toBe('succeeded');
    expect(r.stats.connectionErrors).toBeGreaterThan(0);
    expect(await predictionsOf(started.runId)).toHaveLength(testExamples.length);
  });

  it('an example whose requests keep failing is not scored but asked again in a later pass', async () => {
    // One attempt per pass: every 429 sends its example to the next pass.
    await setFaults(t, { '429': 0.25, retry_after_ms: 1, paths: '^/v1/chat/completions$' });
    const started = await start({ concurrency: 8 });
    const logs: string[] = [];
    const r = await runEval(started.runId, { retry: { ...FAST_RETRY, maxAttempts: 1, passes: 30 }, log: (l) => logs.push(l) });
    expect(r.status).toBe('succeeded');
    expect(logs.some((l) => /examples hit transient errors .*; pass 2 of 30 retries them/.test(l))).toBe(true);
    expect(r.stats.rateLimited).toBeGreaterThan(0);
    const preds = await predictionsOf(started.runId);
    expect(preds.map((p) => p.ordinal)).toEqual(testExamples.map((e) => e.ordinal));
    expect(preds.every((p) => p.error === null && p.predicted !== 'invalid')).toBe(true);
    expect(r.metrics!.errors).toBe(0);
  });

  it('a provider that keeps failing fails the run early, scoring nothing', async () => {
    await setFaults(t, { '500': 1, paths: '^/v1/chat/completions$' });
    const started = await start({ concurrency: 8 });
    const r = await runEval(started.runId, { retry: { ...FAST_RETRY, maxAttempts: 2 } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^\d+ of \d+ requests to Local trainer failed; last error: 500 .*injected.* \(2 attempts\)$/);
    expect(r.stats.requests).toBeLessThan(2 * testExamples.length);
    expect(await getEvalRun(mlLead, started.runId)).toMatchObject({ status: 'failed', error: r.error, metrics: null });
    expect(await predictionsOf(started.runId)).toHaveLength(0);
  });

  it('an unknown model fails the run at once with the provider message', async () => {
    const started = await start({ model: 'ft:local-base:nope:123' });
    const r = await runEval(started.runId, { retry: FAST_RETRY });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/404/);
    expect(r.error).toMatch(/does not exist/);
    expect(r.stats.requests).toBeLessThanOrEqual(4);
    expect(await predictionsOf(started.runId)).toHaveLength(0);
  });

  it('answers cut short ("CONT", "SCHE") are invalid, never a label', async () => {
    const started = await start({ maxTokens: 1 });
    const r = await runEval(started.runId, { retry: FAST_RETRY });
    expect(r.status).toBe('succeeded');
    const preds = await predictionsOf(started.runId);
    expect(preds).toHaveLength(testExamples.length);
    const raw = new Set(preds.map((p) => p.rawOutput));
    expect(raw.has('CONT') || raw.has('SCHE')).toBe(true);
    for (const p of preds) {
      if (p.rawOutput === 'END') expect(p.predicted).toBe('END');
      else {
        expect(['CONT', 'SCHE']).toContain(p.rawOutput);
        expect(p).toMatchObject({ predicted: 'invalid', confidence: null, error: null });
      }
    }
    expect(preds.some((p) => p.predicted === 'CONTINUE' || p.predicted === 'SCHEDULE')).toBe(false);
    const m = r.metrics!;
    const invalid = preds.filter((p) => p.predicted === 'invalid').length;
    expect(m.invalid).toBe(invalid);
    expect(m.correct).toBe(preds.filter((p) => p.truth === 'END' && p.predicted === 'END').length);
    expect(m.perClass.CONTINUE).toMatchObject({ predicted: 0, recall: 0 });
  });

  it('resumes: a run stopped half-way continues where it stopped, with no duplicate predictions', async () => {
    const reference = await start();
    await runEval(reference.runId, { retry: FAST_RETRY });

    // The first call stops after half the examples, as if its worker died there.
    const started = await start({ concurrency: 2 });
    const half = Math.floor(testExamples.length / 2);
    const first = await runEval(started.runId, { stopAfter: half, retry: FAST_RETRY });
    expect(first.status).toBe('interrupted');
    expect(first.done).toBeGreaterThanOrEqual(half);
    expect(first.done).toBeLessThan(testExamples.length);
    expect(first.done).toBeGreaterThan(0);
    expect(await getEvalRunLive(mlLead, started.runId)).toMatchObject({ status: 'running', progressDone: first.done });
    const stored = await predictionsOf(started.runId);
    expect(stored).toHaveLength(first.done);

    const second = await runEval(started.runId, { retry: FAST_RETRY });
    expect(second.status).toBe('succeeded');
    expect(second.stats.stored).toBe(testExamples.length - first.done);
    expect(second.stats.requests).toBe(testExamples.length - first.done);
    const preds = await predictionsOf(started.runId);
    expect(preds.map((p) => p.ordinal)).toEqual(testExamples.map((e) => e.ordinal));
    const ref = await getEvalRun(mlLead, reference.runId);
    expect(second.metrics!.confusion).toEqual(ref!.metrics!.confusion);
    expect(second.metrics!.accuracy).toBe(ref!.accuracy);
  });

  it('a cancelled run stops within a tick, keeping what it has', async () => {
    // Every request is rate-limited: without the cancel this run would retry for a long time.
    await setFaults(t, { '429': 1, retry_after_ms: 20, paths: '^/v1/chat/completions$' });
    const started = await start();
    const running = runEval(started.runId, { retry: { ...FAST_RETRY, maxAttempts: 20 } });
    await new Promise((r) => setTimeout(r, 150));
    await expect(cancelEvalRun(reviewer, started.runId)).rejects.toMatchObject({ status: 403 });
    const t0 = Date.now();
    expect(await cancelEvalRun(mlLead, started.runId)).toBe(true);
    const r = await running;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.status).toBe('cancelled');
    expect(await getEvalRunLive(mlLead, started.runId)).toMatchObject({ status: 'cancelled', error: 'cancelled by ml@test' });
    expect(await cancelEvalRun(mlLead, started.runId)).toBe(false);
    expect((await runEval(started.runId)).stats.requests).toBe(0);
  });

  it('goes through the queue: startEvalRun enqueues eval-run {runId}, and the worker handler runs it', async () => {
    const started = await startEvalRun(admin, { datasetVersionId: version.id, model: 'local-base', provider: 'local' });
    const boss = await jobQueue();
    const [job] = await boss.fetch<{ runId: number }>('eval-run', { includeMetadata: true });
    expect(job.data).toEqual({ runId: started.runId });
    // A second send for the same run is dropped while one waits or runs.
    const { enqueueEvalRun } = await import('./enqueue');
    expect(await enqueueEvalRun(started.runId)).toBeNull();
    const logs: string[] = [];
    await handleEvalRunJob(job as EvalRunJob, (l) => logs.push(l));
    await boss.complete('eval-run', job.id);
    expect(await getEvalRunLive(mlLead, started.runId)).toMatchObject({ status: 'succeeded', progressDone: testExamples.length });
    expect(logs.join('\n')).toMatch(/succeeded/);
    expect((await getEvalRun(mlLead, started.runId))!.settings.concurrency).toBe(8);
  });
});

describe('bad input changes nothing', () => {
  it('rejects a reviewer, a version that is not ready, an empty split, bad concurrency and unknown ids', async () => {
    const notReady = await db().datasetVersion.create({
      data: { datasetId: version.datasetId, version: 99, params: version.params as object, createdById: mlLead.id },
    });
    const noTest = await readyVersion('evals-no-test', { split: { train: 0.9, validation: 0.1, test: 0 } });
    const before = await snapshotDatabase();

    const ok = { datasetVersionId: version.id, model: 'local-base', provider: 'local' as const };
    await expect(startEvalRun(reviewer, ok)).rejects.toThrow(AuthError);
    await expect(startEvalRun(reviewer, ok)).rejects.toMatchObject({ status: 403 });

    const issues = async (input: object) => {
      const e = await startEvalRun(mlLead, { ...ok, ...input } as typeof ok).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(EvalInputError);
      return (e as EvalInputError).issues;
    };
    expect(await issues({ datasetVersionId: notReady.id })).toEqual([{ field: 'datasetVersionId', message: expect.stringMatching(/queued, not ready/) }]);
    expect(await issues({ datasetVersionId: noTest.id })).toEqual([{ field: 'split', message: expect.stringMatching(/no test examples/) }]);
    expect(await issues({ concurrency: 0 })).toEqual([{ field: 'concurrency', message: 'concurrency must be at least 1' }]);
    expect(await issues({ concurrency: 65 })).toEqual([{ field: 'concurrency', message: 'concurrency must be at most 64' }]);
    expect(await issues({ concurrency: 2.5 })).toEqual([{ field: 'concurrency', message: expect.stringMatching(/whole number/) }]);
    expect(await issues({ datasetVersionId: 424242 })).toEqual([{ field: 'datasetVersionId', message: 'dataset version 424242 does not exist' }]);
    expect(await issues({ split: 'holdout' })).toEqual([{ field: 'split', message: expect.stringMatching(/split must be one of/) }]);
    expect(await issues({ model: '  ' })).toEqual([{ field: 'model', message: 'choose a model' }]);
    expect(await issues({ provider: 'anthropic' })).toEqual([{ field: 'provider', message: expect.stringMatching(/provider must be one of/) }]);
    expect(await issues({ fineTuneJobId: 777 })).toEqual([{ field: 'fineTuneJobId', message: 'fine-tune 777 does not exist' }]);

    expect(await snapshotDatabase()).toEqual(before);
  });

  it('reads need a signed-in user', async () => {
    await expect(listEvalRuns(null)).rejects.toMatchObject({ status: 401 });
    await expect(getEvalRun(null, 1)).rejects.toMatchObject({ status: 401 });
    expect(await getEvalRun(reviewer, 999)).toBeNull();
    expect(await listPredictions(reviewer, 999)).toBeNull();
    await expect(listPredictions(reviewer, 1, { predicted: 'end' as never })).rejects.toBeInstanceOf(EvalInputError);
  });
});
