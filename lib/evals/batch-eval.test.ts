// An eval run through the provider's Batch API (the local trainer's, through the openai SDK)
// scores exactly what the per-request path scores, resumes the batches it left in flight, keeps
// going when batch lines hit transient errors, and ends the run (and its batches) on a fatal one.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { stopQueue } from '../jobs/queue';
import { runEval } from './run-eval';
import { cancelEvalRun, startEvalRun } from './start-eval-run';
import {
  examplesOfSplit,
  FAST_RETRY,
  mlLead,
  predictionsOf,
  readyVersion,
  resetWithCorpus,
  setFaults,
  startTrainerForEvals,
  TRAINER_KEY,
  type TestTrainer,
} from './test-fixtures';

let t: TestTrainer;
let version: Awaited<ReturnType<typeof readyVersion>>;
let testExamples: Awaited<ReturnType<typeof examplesOfSplit>>;
let sdk: OpenAI;
const ENV = ['EVAL_BATCH', 'EVAL_BATCH_MAX_REQUESTS', 'EVAL_BATCH_IN_FLIGHT', 'EVAL_BATCH_POLL_MAX_MS', 'EVAL_BATCH_MIN_EXAMPLES'];

beforeAll(async () => {
  t = await startTrainerForEvals();
  sdk = new OpenAI({ apiKey: TRAINER_KEY, baseURL: `${t.trainer.url}/v1`, maxRetries: 0 });
  await resetWithCorpus();
  version = await readyVersion('batch-evals', { split: { train: 0.5, validation: 0.1, test: 0.4 }, includeTurnsWithoutCandidate: true });
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
afterEach(() => {
  for (const k of ENV) delete process.env[k];
});

/** Batches of 17 requests, two ahead: several batches per run, so following, ingesting and sending overlap. */
function useBatches(maxRequests = 17) {
  process.env.EVAL_BATCH = 'always';
  process.env.EVAL_BATCH_MAX_REQUESTS = String(maxRequests);
  process.env.EVAL_BATCH_IN_FLIGHT = '2';
  process.env.EVAL_BATCH_POLL_MAX_MS = '20';
}

const start = (input: Partial<Parameters<typeof startEvalRun>[1]> = {}) =>
  startEvalRun(mlLead, { datasetVersionId: version.id, model: 'local-base', provider: 'local', concurrency: 4, ...input }, { enqueue: false });

/** What both paths must agree on: everything but the per-request latency (a batch has none). */
const scored = (preds: Awaited<ReturnType<typeof predictionsOf>>) => preds.map(({ latencyMs: _latency, runId: _run, ...rest }) => rest);

async function perRequestRun() {
  process.env.EVAL_BATCH = 'off';
  const s = await start();
  const r = await runEval(s.runId, { retry: FAST_RETRY });
  expect(r.status).toBe('succeeded');
  return { run: r, preds: await predictionsOf(s.runId) };
}

describe('an eval run through the Batch API', () => {
  it('gives the same predictions and confidences as one request per example', async () => {
    const single = await perRequestRun();
    expect(single.run.stats.requests).toBe(testExamples.length);

    useBatches();
    const s = await start();
    const progress: number[] = [];
    const logs: string[] = [];
    const r = await runEval(s.runId, { retry: FAST_RETRY, onProgress: (p) => progress.push(p.done), log: (l) => logs.push(l) });
    expect(r.status).toBe('succeeded');
    const preds = await predictionsOf(s.runId);
    expect(preds).toHaveLength(testExamples.length);
    expect(scored(preds)).toEqual(scored(single.preds));
    expect(preds.every((p) => p.latencyMs === null && p.confidence !== null)).toBe(true);
    // The same metrics, but for latency: a batch has no per-request latency to report.
    expect({ ...r.metrics, latencyMs: null }).toEqual({ ...single.run.metrics, latencyMs: null });
    expect(r.metrics!.latencyMs).toBeNull();
    expect(progress.at(-1)).toBe(testExamples.length);

    // One file upload, one create and at least one retrieve per batch — not a request per example.
    const batches = Math.ceil(testExamples.length / 17);
    expect(logs.filter((l) => / batch batch_\w+ sent to Local trainer \(\d+ examples/.test(l))).toHaveLength(batches);
    expect(r.stats.requests).toBeLessThan(testExamples.length / 2);
    const run = await db().evalRun.findUniqueOrThrow({ where: { id: s.runId } });
    expect(run.providerBatchIds).toEqual([]);
    // The batch files are deleted once read (deletes are fire-and-forget: give them a moment).
    await new Promise((res) => setTimeout(res, 200));
    const left = (await sdk.files.list()).data.filter((f) => f.purpose === 'batch' || f.purpose === 'batch_output');
    expect(left).toEqual([]);
  });

  it('a run stopped with batches in flight follows them when it resumes', async () => {
    const single = await perRequestRun();
    useBatches(10);
    const s = await start();
    const first = await runEval(s.runId, { retry: FAST_RETRY, stopAfter: 5 });
    expect(first.status).toBe('interrupted');
    const stopped = await db().evalRun.findUniqueOrThrow({ where: { id: s.runId } });
    expect(stopped.providerBatchIds.length).toBeGreaterThan(0);
    const pending = stopped.providerBatchIds;

    const logs: string[] = [];
    const r = await runEval(s.runId, { retry: FAST_RETRY, log: (l) => logs.push(l) });
    expect(r.status).toBe('succeeded');
    expect(scored(await predictionsOf(s.runId))).toEqual(scored(single.preds));
    // The batches left on the run were read, not sent again: the new ones cover only the rest.
    for (const id of pending) expect((await sdk.batches.retrieve(id)).status).toBe('completed');
    const sentAgain = logs.filter((l) => / sent to /.test(l)).map((l) => Number(/\((\d+) examples/.exec(l)![1]));
    expect(sentAgain.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(testExamples.length - 10);
    expect((await db().evalRun.findUniqueOrThrow({ where: { id: s.runId } })).providerBatchIds).toEqual([]);
  });

  it('lines that hit transient errors are asked again, and every example is still scored the same', async () => {
    const single = await perRequestRun();
    useBatches(40);
    await setFaults(t, { '429': 0.2, '500': 0.1, retry_after_ms: 1, paths: '^/v1/chat/completions$' });
    const s = await start();
    const logs: string[] = [];
    const r = await runEval(s.runId, { retry: FAST_RETRY, log: (l) => logs.push(l) });
    expect(r.status).toBe('succeeded');
    // Asked again in further passes of batches, not one request each.
    expect(logs.some((l) => /examples still without an answer; batch pass 2 asks them again/.test(l))).toBe(true);
    expect(logs.some((l) => /pass 2 of \d+ retries them/.test(l))).toBe(false);
    expect(r.stats.rateLimited).toBeGreaterThan(0);
    expect(r.stats.serverErrors).toBeGreaterThan(0);
    const preds = await predictionsOf(s.runId);
    expect(preds.map((p) => [p.ordinal, p.predicted, p.confidence])).toEqual(single.preds.map((p) => [p.ordinal, p.predicted, p.confidence]));
    expect(r.metrics!.errors).toBe(0);
  });

  it('a model the provider does not have fails the run as the per-request path does, and cancels nothing it still needs', async () => {
    process.env.EVAL_BATCH = 'off';
    const single = await runEval((await start({ model: 'ft:nope' })).runId, { retry: FAST_RETRY });
    useBatches();
    const r = await runEval((await start({ model: 'ft:nope' })).runId, { retry: FAST_RETRY });
    expect(r.status).toBe('failed');
    expect(r.error).toBe(single.error);
    expect(r.error).toMatch(/ft:nope/);
    expect(await db().evalRun.findMany({ where: { NOT: { providerBatchIds: { equals: [] } } } })).toEqual([]);
  });

  it('a run cancelled while its batches are in flight cancels them and stores nothing more', async () => {
    useBatches(5);
    process.env.EVAL_BATCH_IN_FLIGHT = '8';
    const s = await start();
    let cancelled: Promise<boolean> | null = null;
    const sent: string[] = [];
    const r = await runEval(s.runId, {
      retry: FAST_RETRY,
      log: (l) => {
        const id = / batch (batch_\w+) sent/.exec(l)?.[1];
        if (id) sent.push(id);
        // Cancelled as soon as the first batches are at the provider, as a user would from the run page.
        if (sent.length === 8) cancelled ??= cancelEvalRun(mlLead, s.runId);
      },
    });
    expect(await cancelled).toBe(true);
    expect(r.status).toBe('cancelled');
    const run = await db().evalRun.findUniqueOrThrow({ where: { id: s.runId } });
    expect(run.providerBatchIds).toEqual([]);
    expect(run.status).toBe('cancelled');
    // Every batch it sent has ended (answered before the cancel arrived, or cancelled).
    for (const id of sent) expect(['completed', 'cancelled', 'cancelling']).toContain((await sdk.batches.retrieve(id)).status);
    const stored = await db().evalPrediction.count({ where: { runId: s.runId } });
    expect(stored).toBeLessThan(testExamples.length);
  });
});
