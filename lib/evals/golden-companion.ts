// Every evaluation of a model also scores it on the hand-written golden set: numbers on the
// sample generator's own test split say little about real conversations. The companion run is
// created by whoever runs the parent (the worker, or the CLI in-process), never in a request,
// because the golden version may have to be loaded and built first.
import { db } from '../db';
import { datasetParamsSchema } from '../datasets/params';
import { ensureGoldenVersion } from '../golden/ensure-golden-version';
import { Prisma } from '../generated/prisma/client';
import { evalRunSettingsSchema } from './stored-json';
import { parseStored } from '../stored-json';
import { createEvalRunRecord } from './start-eval-run';
import { enqueueEvalRun } from './enqueue';

export interface GoldenCompanion {
  runId: number;
  /** Created by this call (false: it existed). */
  created: boolean;
}

/**
 * The golden run beside `runId` (created when missing); null when the parent is itself a golden
 * run or has ended without succeeding. `enqueue: false` leaves running it to the caller.
 */
export async function ensureGoldenCompanion(runId: number, opts: { enqueue?: boolean } = {}): Promise<GoldenCompanion | null> {
  const run = await db().evalRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      model: true,
      provider: true,
      status: true,
      settings: true,
      fineTuneJobId: true,
      modelCreatedAt: true,
      createdById: true,
      golden: { select: { id: true } },
      datasetVersion: { select: { params: true, dataset: { select: { kind: true } } } },
    },
  });
  if (!run || run.datasetVersion.dataset.kind === 'golden') return null;
  if (run.golden) return { runId: run.golden.id, created: false };
  if (run.status === 'cancelled' || run.status === 'failed') return null;
  const params = datasetParamsSchema.parse(run.datasetVersion.params);
  const settings = parseStored(evalRunSettingsSchema, run.settings, 'eval_runs.settings');
  const goldenVersionId = await ensureGoldenVersion({ instructions: params.instructions, context: params.context }, run.createdById);
  let companionId: number;
  let created = true;
  try {
    const started = await createEvalRunRecord(
      {
        datasetVersionId: goldenVersionId,
        model: run.model,
        provider: run.provider,
        split: 'test',
        concurrency: settings.concurrency,
        maxTokens: settings.maxTokens,
        fineTuneJobId: run.fineTuneJobId,
        modelCreatedAt: run.modelCreatedAt,
      },
      run.createdById,
      { goldenOfRunId: run.id },
    );
    companionId = started.runId;
  } catch (e) {
    // Another worker made it first (golden_of_run_id is unique).
    if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')) throw e;
    companionId = (await db().evalRun.findUniqueOrThrow({ where: { goldenOfRunId: run.id }, select: { id: true } })).id;
    created = false;
  }
  if (opts.enqueue !== false) await enqueueEvalRun(companionId);
  return { runId: companionId, created };
}
