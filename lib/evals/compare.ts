// Comparing runs of different models on the same examples: per-run metrics, deltas against the
// first run, and McNemar's test between the first and each other run on paired predictions.
import type { Actor } from '../auth/session';
import { db } from '../db';
import { EvalInputError } from './errors';
import {
  classificationMetrics,
  compareMetrics,
  isPredictedLabel,
  mcnemarTest,
  pairPredictions,
  type ClassificationMetrics,
  type KeyedPrediction,
  type McNemarResult,
  type MetricsDelta,
} from './metrics';
import { assertSignedIn } from './queries';

export const MAX_COMPARED_RUNS = 10;

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
  mcnemar: (McNemarResult & { runId: number; baselineRunId: number; unmatched: number })[];
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

  const predictions = new Map<number, KeyedPrediction[]>();
  for (const r of ordered) {
    const preds = await db().evalPrediction.findMany({
      where: { runId: r.id },
      orderBy: { ordinal: 'asc' },
      select: { ordinal: true, conversationId: true, truth: true, predicted: true },
    });
    predictions.set(
      r.id,
      preds.map((p) => ({
        key: String(p.ordinal),
        cluster: p.conversationId,
        truth: p.truth,
        predicted: isPredictedLabel(p.predicted) ? p.predicted : 'invalid',
      })),
    );
  }

  const runs: ComparedRun[] = ordered.map(({ split: _s, datasetVersion: _v, ...r }) => ({ ...r, metrics: classificationMetrics(predictions.get(r.id)!) }));
  const base = runs[0];
  const deltas = runs.slice(1).map((r) => ({ runId: r.id, baselineRunId: base.id, delta: compareMetrics(base.metrics, r.metrics) }));
  const mcnemar = runs.slice(1).map((r) => {
    const paired = pairPredictions(predictions.get(base.id)!, predictions.get(r.id)!);
    return { runId: r.id, baselineRunId: base.id, unmatched: paired.unmatched, ...mcnemarTest(paired.pairs) };
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
