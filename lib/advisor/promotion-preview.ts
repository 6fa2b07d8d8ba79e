// The figures the promotion dialog puts side by side: each model's latest finished run on a
// test split and on the golden set, with the coverage/accuracy curve over thresholds, for the
// candidate and the current advisor. Read from stored run aggregates only.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { assertSignedIn } from '../evals/queries';
import type { ThresholdPoint } from '../evals/metrics';

const storedMetrics = z
  .object({
    prematureEndRate: z.number().nullable().optional(),
    n: z.number().optional(),
    thresholdCurve: z
      .array(z.object({ threshold: z.number(), coverage: z.number().nullable(), accuracy: z.number().nullable(), covered: z.number(), correct: z.number() }))
      .nullable()
      .optional(),
  })
  .partial();

export interface RunFigures {
  runId: number;
  accuracy: number | null;
  macroF1: number | null;
  prematureEndRate: number | null;
  n: number | null;
  curve: ThresholdPoint[] | null;
}

export interface ModelFigures {
  test: RunFigures | null;
  golden: RunFigures | null;
}

/** For each model: its latest test-split run (on the version it was trained on when known) and golden run. */
export async function figuresOfModels(actor: Actor | null, models: { model: string; datasetVersionId?: number | null }[]): Promise<Map<string, ModelFigures>> {
  assertSignedIn(actor);
  const out = new Map<string, ModelFigures>();
  if (models.length === 0) return out;
  const runs = await db().evalRun.findMany({
    where: {
      status: 'succeeded',
      model: { in: models.map((m) => m.model) },
      OR: [{ split: 'test', datasetVersion: { dataset: { kind: 'labels' } } }, { datasetVersion: { dataset: { kind: 'golden' } } }],
    },
    orderBy: { id: 'desc' },
    select: {
      id: true,
      model: true,
      accuracy: true,
      macroF1: true,
      metrics: true,
      datasetVersionId: true,
      datasetVersion: { select: { dataset: { select: { kind: true } } } },
    },
  });
  const figures = (r: (typeof runs)[number] | undefined): RunFigures | null => {
    if (!r) return null;
    const m = storedMetrics.safeParse(r.metrics ?? {});
    return {
      runId: r.id,
      accuracy: r.accuracy,
      macroF1: r.macroF1,
      prematureEndRate: m.success ? (m.data.prematureEndRate ?? null) : null,
      n: m.success ? (m.data.n ?? null) : null,
      curve: m.success ? (m.data.thresholdCurve ?? null) : null,
    };
  };
  for (const { model, datasetVersionId } of models) {
    const mine = runs.filter((r) => r.model === model);
    const test =
      mine.find((r) => r.datasetVersion.dataset.kind === 'labels' && (!datasetVersionId || r.datasetVersionId === datasetVersionId)) ??
      mine.find((r) => r.datasetVersion.dataset.kind === 'labels');
    out.set(model, { test: figures(test), golden: figures(mine.find((r) => r.datasetVersion.dataset.kind === 'golden')) });
  }
  return out;
}
