// A run's metrics computed where its predictions are: PostgreSQL aggregates them (confusion
// cells × confidence bucket × calibration bin, latency percentiles, one (size, hits) pair per
// conversation) and Node assembles the figures from those few hundred numbers with the same
// pure functions summarizePredictions uses. A 1M-prediction run never crosses the wire, and the
// one CPU-heavy step left, the clustered bootstrap, yields to the event loop as it goes (and runs
// while PostgreSQL is still aggregating the rest).
//
// Equal to summarizePredictions on the same predictions (sql-metrics.test.ts checks it), except
// that a calibration bin's mean confidence is a SQL sum, so it may differ from the JS sum in the
// last bits (float addition in another order; ~1e-15 relative).
import { db } from '../db';
import {
  calibrationFromBins,
  classificationMetricsFromConfusion,
  clusteredAccuracyInterval,
  emptyConfusionMatrix,
  isLabel,
  isPredictedLabel,
  thresholdGrid,
  thresholdPoint,
  type CalibrationBinSums,
  type ConfusionMatrix,
  type Label,
  type PredictedLabel,
} from './metrics';
import { aggregating } from './sql-aggregate';
import { BOOTSTRAP_CONFIDENCE, BOOTSTRAP_RESAMPLES, DEFAULT_CONFIDENCE_THRESHOLD } from './settings';
import type { EvalMetrics } from './summarize';

/** Reliability bins, as calibration() uses by default. */
const CALIBRATION_BINS = 10;

export interface SummarizeRunOptions {
  threshold?: number;
  /** Longest stretch of bootstrap work between two event-loop yields (ms). */
  sliceMs?: number;
  resamples?: number;
}

interface CellRow {
  truth: string;
  predicted: string;
  /** width_bucket of the confidence over the threshold grid; null: no usable confidence. */
  tbucket: number | null;
  cbin: number | null;
  n: number;
  confSum: number | null;
  errors: number;
  latencyN: number;
  latencySum: number;
  promptTokens: number;
  completionTokens: number;
}

/** A usable confidence is finite: PostgreSQL sorts NaN above Infinity, so `< 'Infinity'` drops both. */
const USABLE = `p.confidence > '-Infinity'::float8 AND p.confidence < 'Infinity'::float8`;

/**
 * One scan of the run's predictions, grouped by (truth, predicted, threshold bucket, calibration
 * bin): at most 3 × 4 × 23 × 10 rows, whatever the run's size. Unknown predicted strings count as
 * 'invalid', as isPredictedLabel does on the JS side.
 */
async function cells(runId: number, grid: number[]): Promise<CellRow[]> {
  return aggregating((tx) =>
    tx.$queryRawUnsafe<CellRow[]>(
      `SELECT p.truth::text AS truth,
              CASE WHEN p.predicted IN ('END', 'CONTINUE', 'SCHEDULE') THEN p.predicted ELSE 'invalid' END AS predicted,
              CASE WHEN ${USABLE} THEN width_bucket(p.confidence, $2::float8[]) END AS tbucket,
              CASE WHEN ${USABLE} THEN least($3 - 1, floor(greatest(0, least(1, p.confidence)) * $3))::int END AS cbin,
              count(*)::int AS n,
              sum(greatest(0, least(1, p.confidence))) FILTER (WHERE ${USABLE}) AS "confSum",
              count(p.error)::int AS errors,
              count(p.latency_ms)::int AS "latencyN",
              coalesce(sum(p.latency_ms), 0)::float8 AS "latencySum",
              coalesce(sum(p.prompt_tokens), 0)::float8 AS "promptTokens",
              coalesce(sum(p.completion_tokens), 0)::float8 AS "completionTokens"
       FROM eval_predictions p
       WHERE p.run_id = $1
       GROUP BY 1, 2, 3, 4`,
      runId,
      grid,
      CALIBRATION_BINS,
    ),
  );
}

/**
 * p50 and p95 latency by the nearest-rank rule summarizePredictions uses, from a histogram
 * (latencies are whole milliseconds, so a few thousand distinct values at most): a hash
 * aggregate instead of sorting every latency.
 */
async function latencyPercentiles(runId: number): Promise<[number, number] | null> {
  const rows = await db().$queryRaw<{ ms: number; n: number }[]>`
    SELECT latency_ms AS ms, count(*)::int AS n FROM eval_predictions WHERE run_id = ${runId} AND latency_ms IS NOT NULL GROUP BY latency_ms`;
  if (rows.length === 0) return null;
  rows.sort((a, b) => a.ms - b.ms);
  const total = rows.reduce((s, r) => s + r.n, 0);
  const at = (p: number) => {
    const rank = Math.min(total - 1, Math.max(0, Math.ceil((p / 100) * total) - 1));
    let seen = 0;
    for (const r of rows) {
      seen += r.n;
      if (rank < seen) return r.ms;
    }
    return rows[rows.length - 1].ms;
  };
  return [at(50), at(95)];
}

/**
 * (turns, correct turns) per conversation, conversations in order of their first turn (the order
 * the in-memory bootstrap meets them in). Sent as two bytea strings of big-endian int32s: 400 kB
 * each for 100k conversations, parsed without a JS object per row.
 */
async function perConversation(runId: number): Promise<{ sizes: Int32Array; hits: Int32Array }> {
  const [row] = await aggregating(
    (tx) => tx.$queryRaw<{ sizes: Uint8Array | null; hits: Uint8Array | null }[]>`
      SELECT string_agg(int4send(n), ''::bytea ORDER BY first) AS sizes, string_agg(int4send(hits), ''::bytea ORDER BY first) AS hits
      FROM (SELECT min(ordinal) AS first, count(*)::int AS n, count(*) FILTER (WHERE predicted = truth::text)::int AS hits
            FROM eval_predictions WHERE run_id = ${runId} GROUP BY conversation_id) c`,
  );
  return { sizes: int32s(row?.sizes ?? null), hits: int32s(row?.hits ?? null) };
}

function int32s(bytes: Uint8Array | null): Int32Array {
  if (!bytes) return new Int32Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, false);
  return out;
}

function addCell(m: ConfusionMatrix, truth: Label, predicted: PredictedLabel, n: number) {
  m[truth][predicted] += n;
}

/** eval_runs.metrics for run `runId`, from SQL aggregates (see the file comment). */
export async function summarizeRun(runId: number, opts: SummarizeRunOptions = {}): Promise<EvalMetrics> {
  const threshold = opts.threshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const curve = thresholdGrid();
  // The stored threshold joins the grid so one bucket boundary sits exactly on it.
  const grid = [...new Set([...curve, threshold])].sort((a, b) => a - b);
  // The bootstrap starts as soon as its input is in, while PostgreSQL still aggregates the rest.
  const conversations = perConversation(runId);
  const interval = conversations.then((c) =>
    clusteredAccuracyInterval(c.hits, c.sizes, { resamples, confidence: BOOTSTRAP_CONFIDENCE, sliceMs: opts.sliceMs }),
  );
  const [rows, latency, conv, ci] = await Promise.all([cells(runId, grid), latencyPercentiles(runId), conversations, interval]);

  const confusion = emptyConfusionMatrix();
  // covered[j]: predictions with confidence ≥ grid[j] (bucket ≥ j + 1), and how many were right.
  const covered = new Array<number>(grid.length).fill(0);
  const coveredCorrect = new Array<number>(grid.length).fill(0);
  const atThreshold = emptyConfusionMatrix();
  const tIndex = grid.indexOf(threshold);
  const bins: CalibrationBinSums[] = Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, confidenceSum: 0, hits: 0 }));
  let n = 0;
  let withConfidence = 0;
  let errors = 0;
  let latencyN = 0;
  let latencySum = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  for (const r of rows) {
    if (!isLabel(r.truth) || !isPredictedLabel(r.predicted)) throw new RangeError(`unexpected labels in eval_predictions: ${r.truth} → ${r.predicted}`);
    const right = r.truth === r.predicted;
    addCell(confusion, r.truth, r.predicted, r.n);
    n += r.n;
    errors += r.errors;
    latencyN += r.latencyN;
    latencySum += r.latencySum;
    promptTokens += r.promptTokens;
    completionTokens += r.completionTokens;
    if (r.tbucket === null || r.cbin === null) continue;
    withConfidence += r.n;
    for (let j = 0; j < r.tbucket; j++) {
      covered[j] += r.n;
      if (right) coveredCorrect[j] += r.n;
    }
    if (r.tbucket > tIndex) addCell(atThreshold, r.truth, r.predicted, r.n);
    const b = bins[r.cbin];
    b.count += r.n;
    b.confidenceSum += r.confSum ?? 0;
    if (right) b.hits += r.n;
  }

  const base = classificationMetricsFromConfusion(confusion);
  const withConf = withConfidence > 0;
  const point = (t: number) => {
    const j = grid.indexOf(t);
    return thresholdPoint(t, n, covered[j], coveredCorrect[j]);
  };
  return {
    ...base,
    accuracyCi: ci ? { ...ci, confidence: BOOTSTRAP_CONFIDENCE, resamples, unit: 'conversation', clusters: conv.sizes.length } : null,
    calibration: withConf ? calibrationFromBins(bins) : null,
    thresholdCurve: withConf ? curve.map(point) : null,
    atThreshold: withConf ? { ...point(threshold), metrics: classificationMetricsFromConfusion(atThreshold) } : null,
    withConfidence,
    errors,
    latencyMs: latency && latencyN > 0 ? { p50: latency[0], p95: latency[1], mean: latencySum / latencyN } : null,
    tokens: { prompt: promptTokens, completion: completionTokens },
  };
}
