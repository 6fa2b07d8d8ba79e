// What a fine-tune bought: its model beside the keyword rule and the majority-class baseline,
// on the test split of the version it was trained on and on the golden set, with the gains.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { KEYWORD_RULE_MODEL, constantPredictionMetrics, majorityLabel, modelLabel, versionCountsSchema } from './baselines';
import { goldenSummaries } from './golden-summary';
import { assertSignedIn } from './queries';
import type { Label } from './metrics';

export interface Figures {
  accuracy: number | null;
  macroF1: number | null;
  prematureEndRate: number | null;
}

export interface EvaluationRow {
  kind: 'fine-tuned' | 'base' | 'keyword-rule' | 'majority';
  label: string;
  /** The run on the test split (null for the majority baseline, which needs no model). */
  runId: number | null;
  status: string;
  test: Figures | null;
  goldenRunId: number | null;
  goldenStatus: string | null;
  golden: Figures | null;
}

export interface FineTuneEvaluation {
  rows: EvaluationRow[];
  majorityLabel: Label | null;
  /** Fine-tuned minus baseline, accuracy and premature-END, on each set; null while a side is missing. */
  gains: { over: 'keyword-rule' | 'majority'; test: Figures | null; golden: Figures | null }[];
  pending: boolean;
}

const storedRates = z.object({ prematureEndRate: z.number().nullable() }).partial();

function minus(a: Figures | null, b: Figures | null): Figures | null {
  if (!a || !b) return null;
  const d = (x: number | null, y: number | null) => (x === null || y === null ? null : x - y);
  return { accuracy: d(a.accuracy, b.accuracy), macroF1: d(a.macroF1, b.macroF1), prematureEndRate: d(a.prematureEndRate, b.prematureEndRate) };
}

export async function fineTuneEvaluation(actor: Actor | null, jobId: number): Promise<FineTuneEvaluation | null> {
  assertSignedIn(actor);
  const job = await db().fineTuneJob.findUnique({
    where: { id: jobId },
    select: { id: true, baseModel: true, fineTunedModel: true, datasetVersionId: true, datasetVersion: { select: { counts: true } } },
  });
  if (!job || !job.fineTunedModel) return null;
  const runs = await db().evalRun.findMany({
    where: { fineTuneJobId: job.id, datasetVersionId: job.datasetVersionId, split: 'test', goldenOfRunId: null },
    orderBy: { id: 'desc' },
    select: { id: true, model: true, status: true, accuracy: true, macroF1: true, metrics: true },
  });
  const latest = (model: string) => runs.find((r) => r.model === model) ?? null;
  const golden = await goldenSummaries(
    actor,
    runs.map((r) => r.id),
  );
  const figures = (r: (typeof runs)[number] | null): Figures | null => {
    if (!r || r.status !== 'succeeded') return null;
    const m = storedRates.safeParse(r.metrics ?? {});
    return { accuracy: r.accuracy, macroF1: r.macroF1, prematureEndRate: m.success ? (m.data.prematureEndRate ?? null) : null };
  };
  const modelRow = (kind: EvaluationRow['kind'], model: string): EvaluationRow => {
    const r = latest(model);
    const g = r ? golden.get(r.id) : undefined;
    return {
      kind,
      label: kind === 'fine-tuned' ? model : modelLabel(model),
      runId: r?.id ?? null,
      status: r?.status ?? 'not started',
      test: figures(r),
      goldenRunId: g?.runId ?? null,
      goldenStatus: g?.status ?? null,
      golden: g && g.status === 'succeeded' ? { accuracy: g.accuracy, macroF1: g.macroF1, prematureEndRate: g.prematureEndRate } : null,
    };
  };
  const rows: EvaluationRow[] = [modelRow('fine-tuned', job.fineTunedModel), modelRow('keyword-rule', KEYWORD_RULE_MODEL)];
  if (job.baseModel !== KEYWORD_RULE_MODEL) rows.push(modelRow('base', job.baseModel));

  // The majority baseline needs no model: the label counts of the splits are enough.
  const counts = versionCountsSchema.safeParse(job.datasetVersion.counts ?? {});
  const majority = counts.success ? majorityLabel(counts.data.train) : null;
  const goldenRunId = rows[0].goldenRunId;
  const goldenCounts = goldenRunId
    ? versionCountsSchema.safeParse(
        (await db().evalRun.findUnique({ where: { id: goldenRunId }, select: { datasetVersion: { select: { counts: true } } } }))?.datasetVersion.counts ?? {},
      )
    : null;
  const constant = (c: Record<string, number> | undefined): Figures | null => {
    if (!majority || !c) return null;
    const m = constantPredictionMetrics(majority, c);
    return { accuracy: m.accuracy, macroF1: m.macroF1, prematureEndRate: m.prematureEndRate };
  };
  rows.push({
    kind: 'majority',
    label: majority ? `majority class (always ${majority})` : 'majority class',
    runId: null,
    status: 'succeeded',
    test: counts.success ? constant(counts.data.test) : null,
    goldenRunId: null,
    goldenStatus: null,
    golden: goldenCounts?.success ? constant(goldenCounts.data.test) : null,
  });
  const ft = rows[0];
  const gains = (['keyword-rule', 'majority'] as const).map((over) => {
    const b = rows.find((r) => r.kind === over)!;
    return { over, test: minus(ft.test, b.test), golden: minus(ft.golden, b.golden) };
  });
  const going = (status: string | null) => status === null || status === 'queued' || status === 'running';
  // Still changing while a run or its golden companion has not ended (a run that exists but has
  // no companion yet gets one from the worker).
  const pending = rows.some((r) => r.runId !== null && (going(r.status) || (r.status === 'succeeded' && going(r.goldenStatus))));
  return { rows, majorityLabel: majority, gains, pending };
}
