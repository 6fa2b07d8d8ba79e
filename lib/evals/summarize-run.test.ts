// The SQL path (summarize-run.ts, paired-discordance.ts, compare.ts) against the pure functions
// of lib/evals/metrics on the same predictions, stored in a real PostgreSQL.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { mlLead, resetWithUsers, reviewer } from '../datasets/test-fixtures';
import { createRng } from '../prng';
import { compareEvalRuns } from './compare';
import { classificationMetrics, compareMetrics, isPredictedLabel, LABELS, mcnemarTest, pairPredictions, type KeyedPrediction, type Label } from './metrics';
import { finishEvalRun } from './run-eval';
import { summarizePredictions, type EvalMetrics, type ScoredPrediction } from './summarize';
import { summarizeRun } from './summarize-run';

interface Row {
  ordinal: number;
  conversationId: number;
  truth: Label;
  predicted: string;
  confidence: number | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  error: string | null;
}

let versionId: number;

beforeAll(async () => {
  await resetWithUsers();
  const dataset = await db().dataset.create({ data: { name: 'sql-metrics', ownerId: mlLead.id } });
  const version = await db().datasetVersion.create({ data: { datasetId: dataset.id, version: 1, status: 'ready', params: {}, createdById: mlLead.id } });
  versionId = version.id;
});

beforeEach(async () => {
  await db().$executeRawUnsafe('TRUNCATE eval_runs, eval_predictions RESTART IDENTITY CASCADE');
});

async function runWith(rows: Row[]): Promise<number> {
  const run = await db().evalRun.create({
    data: { model: 'm', provider: 'local', datasetVersionId: versionId, status: 'running', settings: {}, createdById: mlLead.id },
  });
  // Through text so NaN and ±Infinity arrive as PostgreSQL's own spellings.
  const conf = rows.map((r) => (r.confidence === null ? null : String(r.confidence)));
  await db().$executeRawUnsafe(
    `INSERT INTO eval_predictions (run_id, ordinal, conversation_id, message_id, truth, predicted, confidence, latency_ms, prompt_tokens, completion_tokens, error)
     SELECT $1, o, c, o, t::"LabelValue", p, f::float8, l, pt, ct, e
     FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::text[]) AS u(o, c, t, p, f, l, pt, ct, e)`,
    run.id,
    rows.map((r) => r.ordinal),
    rows.map((r) => r.conversationId),
    rows.map((r) => r.truth),
    rows.map((r) => r.predicted),
    conf,
    rows.map((r) => r.latencyMs),
    rows.map((r) => r.promptTokens),
    rows.map((r) => r.completionTokens),
    rows.map((r) => r.error),
  );
  return run.id;
}

/** What finish used to do: every prediction in ordinal order, unknown answers as invalid. */
function pure(rows: Row[]): EvalMetrics {
  const preds: ScoredPrediction[] = [...rows]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((r) => ({ ...r, predicted: isPredictedLabel(r.predicted) ? r.predicted : 'invalid' }));
  return summarizePredictions(preds);
}

// Bin means are SQL sums (another addition order): equal to ~1e-15, not bit for bit.
function expectSame(sql: EvalMetrics, expected: EvalMetrics) {
  const floatFree = (m: EvalMetrics) => ({
    ...m,
    calibration: m.calibration && { ...m.calibration, ece: 0, maxGap: 0, bins: m.calibration.bins.map((b) => ({ ...b, meanConfidence: 0 })) },
  });
  expect(floatFree(sql)).toEqual(floatFree(expected));
  if (expected.calibration) {
    expect(sql.calibration!.ece).toBeCloseTo(expected.calibration.ece!, 12);
    expect(sql.calibration!.maxGap).toBeCloseTo(expected.calibration.maxGap!, 12);
    expected.calibration.bins.forEach((b, i) => {
      if (b.meanConfidence === null) expect(sql.calibration!.bins[i].meanConfidence).toBeNull();
      else expect(sql.calibration!.bins[i].meanConfidence).toBeCloseTo(b.meanConfidence, 12);
    });
  }
}

/** Conversations of 1–12 turns; answers right ~70% of the time; every awkward value somewhere. */
function makeRows(seed: number, conversations: number, opts: { confidences?: boolean; ordinalStart?: number } = {}): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  // Grid values, the stored threshold, out-of-range and unusable confidences all occur.
  const special = [0, 0.05, 0.15, 0.7, 0.7000000000000001, 0.6999999999999998, 1, 1.2, -0.1, NaN, Infinity, -Infinity];
  let ordinal = opts.ordinalStart ?? 1;
  const order = Array.from({ length: conversations }, (_, i) => 500 + i);
  for (const conv of order) {
    const turns = rng.int(1, 12);
    for (let t = 0; t < turns; t++) {
      const truth = rng.pick(LABELS);
      const u = rng();
      const predicted = u < 0.7 ? truth : u < 0.9 ? rng.pick(LABELS) : u < 0.97 ? 'invalid' : 'Sure, END it';
      const c = !opts.confidences ? null : rng.chance(0.1) ? null : rng.chance(0.15) ? rng.pick(special) : rng();
      rows.push({
        ordinal,
        conversationId: conv,
        truth,
        predicted,
        confidence: c,
        latencyMs: rng.chance(0.05) ? null : rng.int(0, 400),
        promptTokens: rng.chance(0.05) ? null : rng.int(50, 900),
        completionTokens: rng.chance(0.05) ? null : rng.int(1, 3),
        error: rng.chance(0.02) ? 'context length exceeded' : null,
      });
      ordinal += rng.int(1, 3);
    }
  }
  // Stored out of conversation order: the bootstrap must meet conversations by first ordinal.
  return rows.sort(() => rng() - 0.5);
}

describe('run metrics from SQL aggregates', () => {
  it('equal summarizePredictions on the same predictions: confusion, rates, threshold curve, calibration, bootstrap, latency, tokens', async () => {
    const rows = makeRows(7, 400, { confidences: true });
    const runId = await runWith(rows);
    const sql = await summarizeRun(runId);
    const expected = pure(rows);
    expect(expected.accuracyCi!.unit).toBe('conversation');
    expect(expected.invalid).toBeGreaterThan(0);
    expect(expected.thresholdCurve![14].threshold).toBe(0.7);
    expectSame(sql, expected);
    // A threshold off the grid gets its own bucket boundary.
    const off = await summarizeRun(runId, { threshold: 0.62 });
    expect(off.atThreshold).toEqual(pure62(rows));
  });

  it('equal without confidences, without latencies, and for an empty run', async () => {
    const rows = makeRows(8, 50).map((r) => ({ ...r, latencyMs: null }));
    expectSame(await summarizeRun(await runWith(rows)), pure(rows));
    const empty = await summarizeRun(await runWith([]));
    expect(empty).toEqual(summarizePredictions([]));
  });

  it('finishes a run through the worker path: stored metrics, accuracy and progress from SQL', async () => {
    const rows = makeRows(9, 30, { confidences: true });
    const runId = await runWith(rows);
    const r = await finishEvalRun(runId);
    expect(r.status).toBe('succeeded');
    const run = await db().evalRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: 'succeeded', progressDone: rows.length, progressTotal: rows.length, accuracy: pure(rows).accuracy });
    expectSame(run.metrics as unknown as EvalMetrics, pure(rows));
  });

  it('does not block the event loop: a 5 ms timer keeps firing while a 100k-conversation bootstrap runs', async () => {
    const run = await db().evalRun.create({
      data: { model: 'm', provider: 'local', datasetVersionId: versionId, status: 'running', settings: {}, createdById: mlLead.id },
    });
    await db().$executeRaw`
      INSERT INTO eval_predictions (run_id, ordinal, conversation_id, message_id, truth, predicted, confidence, latency_ms)
      SELECT ${run.id}, o, o, o, 'END', CASE WHEN o % 5 = 0 THEN 'CONTINUE' ELSE 'END' END, (o % 100) / 100.0, o % 300
      FROM generate_series(1, 100000) AS o`;
    let last = performance.now();
    let maxGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    try {
      const r = await finishEvalRun(run.id);
      expect(r.metrics!.accuracyCi).toMatchObject({ unit: 'conversation', clusters: 100_000, resamples: 2000 });
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    // 2000 × 100k draws take well over a second here; in one go the timer would wait all of it.
    // Yields come every 10 ms of work; the bounds leave room for a loaded machine (load 15 on
    // 2 cores starves every process, which is not the event loop being blocked).
    expect(ticks).toBeGreaterThan(elapsed / 50);
    expect(maxGap).toBeLessThan(150);
  }, 60_000);
});

function pure62(rows: Row[]) {
  const m = summarizePredictions(
    rows.map((r) => ({ ...r, predicted: isPredictedLabel(r.predicted) ? r.predicted : 'invalid' })),
    0.62,
  );
  return m.atThreshold!;
}

describe('compare from stored aggregates and SQL-counted discordance', () => {
  const keyed = (rows: Row[]): KeyedPrediction[] =>
    [...rows]
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((r) => ({ key: String(r.ordinal), cluster: r.conversationId, truth: r.truth, predicted: isPredictedLabel(r.predicted) ? r.predicted : 'invalid' }));

  /** Run B: the same examples as A, answered anew for a share of them, some of A's missing and some extra. */
  function variant(a: Row[], seed: number, flip: number): Row[] {
    const rng = createRng(seed);
    const maxOrdinal = Math.max(...a.map((r) => r.ordinal));
    const b = a
      .filter(() => !rng.chance(0.02))
      .map((r) => (rng.chance(flip) ? { ...r, predicted: rng.chance(0.6) ? r.truth : rng.pick([...LABELS, 'invalid']) } : r));
    for (let i = 1; i <= 5; i++) b.push({ ...a[0], ordinal: maxOrdinal + i, conversationId: 99_000 + i });
    return b;
  }

  async function expectComparisonMatchesPure(a: Row[], b: Row[], method: string) {
    const [ra, rb] = [await runWith(a), await runWith(b)];
    for (const id of [ra, rb]) expect((await finishEvalRun(id)).status).toBe('succeeded');
    const cmp = await compareEvalRuns(reviewer, [ra, rb]);
    const [ma, mb] = [classificationMetrics(keyed(a)), classificationMetrics(keyed(b))];
    expect(cmp.runs.map((r) => r.metrics)).toEqual([ma, mb]);
    expect(cmp.deltas).toEqual([{ runId: rb, baselineRunId: ra, delta: compareMetrics(ma, mb) }]);
    const paired = pairPredictions(keyed(a), keyed(b));
    const expected = mcnemarTest(paired.pairs);
    expect(expected.method).toBe(method);
    // Answered differently (the disagreement list's count): over the examples both runs have, as stored.
    const byOrdinal = new Map(b.map((r) => [r.ordinal, r.predicted]));
    const differ = a.filter((r) => byOrdinal.has(r.ordinal) && byOrdinal.get(r.ordinal) !== r.predicted).length;
    expect(cmp.mcnemar).toEqual([{ runId: rb, baselineRunId: ra, unmatched: paired.unmatched, differ, ...expected }]);
    return { ra, rb, cmp };
  }

  it('equals pairing every prediction in memory: cluster-exact on a small comparison', async () => {
    const a = makeRows(11, 60);
    const { ra, rb, cmp } = await expectComparisonMatchesPure(a, variant(a, 12, 0.3), 'cluster-exact');
    expect(cmp.mcnemar[0].unmatched).toBeGreaterThan(0);
    // A run stored without metrics (older or damaged JSON): the confusion is counted instead.
    await db().$executeRaw`UPDATE eval_runs SET metrics = NULL WHERE id = ${rb}`;
    expect(await compareEvalRuns(reviewer, [ra, rb])).toEqual(cmp);
  });

  it('equals pairing every prediction in memory: cluster-chi2 when the exact distribution is too large', async () => {
    // ~5000 conversations, many of them discordant: ds × range passes 5M.
    const a = makeRows(13, 5000);
    await expectComparisonMatchesPure(a, variant(a, 14, 0.8), 'cluster-chi2');
  }, 60_000);

  it('identical runs: no discordant pairs, p = 1', async () => {
    const a = makeRows(15, 40);
    const { cmp } = await expectComparisonMatchesPure(a, a, 'cluster-exact');
    expect(cmp.mcnemar[0]).toMatchObject({ b01: 0, b10: 0, pValue: 1, unmatched: 0, discordantClusters: 0 });
  });
});
