// Comparing runs of different models on the same examples: per-run metrics, deltas against the
// first run, and McNemar's test between the first and each other run on paired predictions.
// Read from stored aggregates and SQL counts (paired-discordance.ts): no prediction is loaded.
import type { Actor } from '../auth/session';
import { db } from '../db';
import { EvalInputError } from './errors';
import {
  classificationMetricsFromConfusion,
  compareMetrics,
  emptyConfusionMatrix,
  isLabel,
  isPredictedLabel,
  mcnemarFromCounts,
  type ClassificationMetrics,
  type ConfusionMatrix,
  type McNemarResult,
  type MetricsDelta,
} from './metrics';
import { pairedDiscordance } from './paired-discordance';
import { storedConfusionSchema } from './stored-json';
import { assertSignedIn } from './queries';

export const MAX_COMPARED_RUNS = 10;

/**
 * The run's confusion matrix as stored with its metrics; counted with one GROUP BY over its
 * predictions (index-only on (run_id, truth, predicted)) if the stored one is missing or unreadable.
 */
async function storedConfusion(runId: number, metrics: unknown): Promise<ConfusionMatrix> {
  const stored = storedConfusionSchema.safeParse((metrics as { confusion?: unknown } | null)?.confusion);
  if (stored.success) return stored.data;
  const m = emptyConfusionMatrix();
  const rows = await db().$queryRaw<{ truth: string; predicted: string; n: number }[]>`
    SELECT truth::text AS truth, predicted, count(*)::int AS n FROM eval_predictions WHERE run_id = ${runId} GROUP BY truth, predicted`;
  for (const r of rows) if (isLabel(r.truth)) m[r.truth][isPredictedLabel(r.predicted) ? r.predicted : 'invalid'] += r.n;
  return m;
}

export interface ComparedRun {
  id: number;
  model: string;
  provider: string;
  status: string;
  fineTuneJobId: number | null;
  modelCreatedAt: Date | null;
  createdAt: Date;
  metrics: ClassificationMetrics;
}

export interface EvalComparison {
  datasetVersion: { id: number; version: number; datasetId: number; datasetName: string };
  split: string;
  runs: ComparedRun[];
  /** One entry per run after the first: its metrics minus the first run's. */
  deltas: { runId: number; baselineRunId: number; delta: MetricsDelta }[];
  /** One entry per run after the first; `pValue` and `significant` (α = 0.05) from McNemar. */
  mcnemar: (McNemarResult & { runId: number; baselineRunId: number; unmatched: number; differ: number })[];
}

export async function compareEvalRuns(actor: Actor | null, runIds: number[]): Promise<EvalComparison> {
  assertSignedIn(actor);
  if (!Array.isArray(runIds) || runIds.length < 2) throw new EvalInputError([{ field: 'runIds', message: 'choose at least two runs to compare' }]);
  if (runIds.length > MAX_COMPARED_RUNS) throw new EvalInputError([{ field: 'runIds', message: `compare at most ${MAX_COMPARED_RUNS} runs at once` }]);
  if (!runIds.every((id) => Number.isInteger(id) && id > 0)) throw new EvalInputError([{ field: 'runIds', message: 'run ids must be positive whole numbers' }]);
  if (new Set(runIds).size !== runIds.length) throw new EvalInputError([{ field: 'runIds', message: 'a run is listed twice' }]);

  const rows = await db().evalRun.findMany({
    where: { id: { in: runIds } },
    select: {
      id: true,
      model: true,
      provider: true,
      status: true,
      split: true,
      fineTuneJobId: true,
      modelCreatedAt: true,
      createdAt: true,
      metrics: true,
      datasetVersion: { select: { id: true, version: true, dataset: { select: { id: true, name: true } } } },
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = runIds.filter((id) => !byId.has(id));
  if (missing.length) throw new EvalInputError([{ field: 'runIds', message: `no eval run ${missing.join(', ')}` }]);
  const ordered = runIds.map((id) => byId.get(id)!);
  const first = ordered[0];
  const others = ordered.filter((r) => r.datasetVersion.id !== first.datasetVersion.id || r.split !== first.split);
  if (others.length) {
    const desc = (r: (typeof ordered)[number]) => `run ${r.id} is on ${r.datasetVersion.dataset.name} v${r.datasetVersion.version} ${r.split}`;
    throw new EvalInputError([{ field: 'runIds', message: `runs must be on the same dataset version and split: ${[first, ...others].map(desc).join('; ')}` }]);
  }
  const unfinished = ordered.filter((r) => r.status !== 'succeeded');
  if (unfinished.length)
    throw new EvalInputError([
      { field: 'runIds', message: `only finished runs can be compared: ${unfinished.map((r) => `run ${r.id} is ${r.status}`).join(', ')}` },
    ]);

  // Each run's figures from its stored confusion matrix (every one of them is a function of its
  // cells); McNemar from counts joined in SQL. No prediction is loaded.
  const confusions = await Promise.all(ordered.map((r) => storedConfusion(r.id, r.metrics)));
  const runs: ComparedRun[] = ordered.map(({ split: _s, datasetVersion: _v, metrics: _m, ...r }, i) => ({
    ...r,
    metrics: classificationMetricsFromConfusion(confusions[i]),
  }));
  const base = runs[0];
  const deltas = runs.slice(1).map((r) => ({ runId: r.id, baselineRunId: base.id, delta: compareMetrics(base.metrics, r.metrics) }));
  const paired = await pairedDiscordance(
    base.id,
    runs.slice(1).map((r) => r.id),
  );
  const mcnemar = runs.slice(1).map((r) => {
    const { runId: _r, differ, ...counts } = paired.get(r.id)!;
    // Examples present in only one of the two runs are left out of the test (as pairPredictions does).
    const unmatched = base.metrics.n - counts.n + (r.metrics.n - counts.n);
    return { runId: r.id, baselineRunId: base.id, unmatched, differ, ...mcnemarFromCounts(counts) };
  });
  return {
    datasetVersion: {
      id: first.datasetVersion.id,
      version: first.datasetVersion.version,
      datasetId: first.datasetVersion.dataset.id,
      datasetName: first.datasetVersion.dataset.name,
    },
    split: first.split,
    runs,
    deltas,
    mcnemar,
  };
}

export interface RunInProgress {
  id: number;
  model: string;
  status: string;
  progressDone: number;
  progressTotal: number;
}

/**
 * The runs among `runIds` still queued or running (the compare page shows their progress until
 * they end, then compares). Invalid ids are left for compareEvalRuns to name.
 */
export async function runsInProgress(actor: Actor | null, runIds: number[]): Promise<RunInProgress[]> {
  assertSignedIn(actor);
  const ids = runIds.filter((id) => Number.isInteger(id) && id > 0).slice(0, MAX_COMPARED_RUNS);
  if (!ids.length) return [];
  const rows = await db().evalRun.findMany({
    where: { id: { in: ids }, status: { in: ['queued', 'running'] } },
    select: { id: true, model: true, status: true, progressDone: true, progressTotal: true },
  });
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}
