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
