// The golden-set figures shown beside a run's own split on every page: accuracy, macro-F1 and
// premature-END of the golden companion of each run. Read from stored aggregates only.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { assertSignedIn } from './queries';

const storedRates = z.object({ prematureEndRate: z.number().nullable(), n: z.number() }).partial();

export interface GoldenSummary {
  /** The golden run. */
  runId: number;
  status: string;
  accuracy: number | null;
  macroF1: number | null;
  prematureEndRate: number | null;
  n: number | null;
  progressDone: number;
  progressTotal: number;
}

/** Golden companions of the given runs, keyed by the run they sit beside. */
export async function goldenSummaries(actor: Actor | null, runIds: number[]): Promise<Map<number, GoldenSummary>> {
  assertSignedIn(actor);
  if (runIds.length === 0) return new Map();
  const rows = await db().evalRun.findMany({
    where: { goldenOfRunId: { in: runIds } },
    select: { id: true, goldenOfRunId: true, status: true, accuracy: true, macroF1: true, metrics: true, progressDone: true, progressTotal: true },
  });
  return new Map(
    rows.map((r) => {
      const m = storedRates.safeParse(r.metrics ?? {});
      return [
        r.goldenOfRunId!,
        {
          runId: r.id,
          status: r.status,
          accuracy: r.accuracy,
          macroF1: r.macroF1,
          prematureEndRate: m.success ? (m.data.prematureEndRate ?? null) : null,
          n: m.success ? (m.data.n ?? null) : null,
          progressDone: r.progressDone,
          progressTotal: r.progressTotal,
        },
      ];
    }),
  );
}

/** For each run, how many of its conversations its model was trained or validated on (null: not our model). */
export async function trainedOverlaps(actor: Actor | null, runIds: number[]): Promise<Map<number, number | null>> {
  assertSignedIn(actor);
  const rows = await db().evalRun.findMany({ where: { id: { in: runIds } }, select: { id: true, trainedOverlap: true } });
  return new Map(rows.map((r) => [r.id, r.trainedOverlap]));
}

export interface ModelScores {
  /** Latest finished run of the model on the test split of the version it was trained on. */
  test: { runId: number; accuracy: number | null; prematureEndRate: number | null } | null;
  /** Latest finished golden-set run of the model. */
  golden: { runId: number; accuracy: number | null; macroF1: number | null; prematureEndRate: number | null } | null;
}

/** For the models page: each fine-tune's model on its own test split and on the golden set. */
export async function modelScores(actor: Actor | null, jobs: { jobId: number; model: string; datasetVersionId: number }[]): Promise<Map<number, ModelScores>> {
  assertSignedIn(actor);
  if (jobs.length === 0) return new Map();
  const runs = await db().evalRun.findMany({
    where: { status: 'succeeded', model: { in: jobs.map((j) => j.model) }, OR: [{ split: 'test' }, { datasetVersion: { dataset: { kind: 'golden' } } }] },
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
  const rate = (m: unknown) => {
    const p = storedRates.safeParse(m ?? {});
    return p.success ? (p.data.prematureEndRate ?? null) : null;
  };
  return new Map(
    jobs.map((j) => {
      const test = runs.find((r) => r.model === j.model && r.datasetVersionId === j.datasetVersionId);
      const golden = runs.find((r) => r.model === j.model && r.datasetVersion.dataset.kind === 'golden');
      return [
        j.jobId,
        {
          test: test ? { runId: test.id, accuracy: test.accuracy, prematureEndRate: rate(test.metrics) } : null,
          golden: golden ? { runId: golden.id, accuracy: golden.accuracy, macroF1: golden.macroF1, prematureEndRate: rate(golden.metrics) } : null,
        },
      ];
    }),
  );
}
