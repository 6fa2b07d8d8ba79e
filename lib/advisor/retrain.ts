// "Retrain with new labels": the next version of the advisor's dataset lineage with the same
// parameters (the lineage keeps every conversation's split, so the new model is never trained
// on what the old one was tested on), then — once it is built — a fine-tune with the advisor's
// own settings (provider, base model, hyperparameters, suffix, seed). The fine-tune's automatic
// evals (lib/evals/auto-evals.ts) score it on the test split and, through each run's golden
// companion, on the golden set. Nothing here changes the advisor: promotion stays a human call.
import type { Job } from 'pg-boss';
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { buildDatasetVersion, DatasetBuildError } from '../datasets/build-dataset-version';
import { createDatasetVersion } from '../datasets/create-dataset-version';
import { datasetParamsSchema } from '../datasets/params';
import { ConflictError } from '../errors';
import { enqueueFineTuneLaunch } from '../finetunes/enqueue';
import { FineTuneInputError } from '../finetunes/errors';
import { launchFineTune } from '../finetunes/launch-fine-tune';
import { isTerminal } from '../finetunes/status';
import { roleSchema } from '../auth/roles';
import { enqueue, QUEUES } from '../jobs/queue';
import { currentPromotion } from './promotions';

const hyperparametersSchema = z
  .object({
    n_epochs: z.union([z.literal('auto'), z.number()]).optional(),
    batch_size: z.union([z.literal('auto'), z.number()]).optional(),
    learning_rate_multiplier: z.union([z.literal('auto'), z.number()]).optional(),
  })
  .loose();

/** Where the advisor came from, or why it cannot be retrained. */
export type RetrainPlan =
  | { possible: false; reason: string }
  | {
      possible: true;
      promotionId: number;
      model: string;
      sourceVersionId: number;
      sourceFineTuneJobId: number;
      datasetName: string;
      sourceVersion: number;
      provider: string;
      baseModel: string;
      /** Labels added or changed (outside the golden set) since the source version was built. */
      labelChangesSince: number;
    };

export async function retrainPlan(): Promise<RetrainPlan> {
  const p = await currentPromotion();
  if (!p) return { possible: false, reason: 'No advisor is promoted yet, so there is nothing to retrain.' };
  if (!p.fineTuneJobId || !p.datasetVersionId)
    return {
      possible: false,
      reason: `The advisor ${p.model} is a base model, not a fine-tune made in the Studio: it has no dataset lineage to extend and no training settings to repeat. Fine-tune a model and promote it, then retrain it here.`,
    };
  const [job, version] = await Promise.all([
    db().fineTuneJob.findUnique({ where: { id: p.fineTuneJobId }, select: { id: true, provider: true, baseModel: true } }),
    db().datasetVersion.findUnique({ where: { id: p.datasetVersionId }, include: { dataset: { select: { name: true } } } }),
  ]);
  if (!job || !version) return { possible: false, reason: `The fine-tune or dataset version the advisor ${p.model} came from no longer exists.` };
  const since = version.startedAt ?? version.createdAt;
  const [{ n }] = await db().$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM label_events e JOIN conversations c ON c.id = e.conversation_id
    WHERE e.created_at > ${since} AND NOT c.is_golden`;
  return {
    possible: true,
    promotionId: p.id,
    model: p.model,
    sourceVersionId: version.id,
    sourceFineTuneJobId: job.id,
    datasetName: version.dataset.name,
    sourceVersion: version.version,
    provider: job.provider,
    baseModel: job.baseModel,
    labelChangesSince: Number(n),
  };
}

/**
 * ml_lead/admin. Records the next dataset version and the retrain, and queues the chain
 * (`enqueue: false` leaves running it to the caller, e.g. a test calling runRetrainStep).
 */
export async function requestRetrain(actor: Actor, opts: { enqueue?: boolean } = {}) {
  assertRole(actor, 'ml_lead', 'admin');
  const plan = await retrainPlan();
  if (!plan.possible) throw new ConflictError(plan.reason);
  if (plan.labelChangesSince === 0)
    throw new ConflictError(
      `No label was added or changed since ${plan.datasetName} v${plan.sourceVersion} was built: a new version would hold the same examples. Label live turns first.`,
    );
  const running = await db().advisorRetrain.findFirst({ where: { sourceVersionId: plan.sourceVersionId, error: null }, orderBy: { id: 'desc' } });
  if (running && !(await retrainEnded(running.id))) throw new ConflictError(`Retrain #${running.id} of ${plan.model} is still running; wait for it to finish.`);
  const source = await db().datasetVersion.findUniqueOrThrow({
    where: { id: plan.sourceVersionId },
    include: { dataset: { include: { owner: { select: { email: true } } } } },
  });
  if (source.dataset.ownerId !== actor.id)
    throw new ConflictError(
      `The dataset lineage ${source.dataset.name} belongs to ${source.dataset.owner.email}, and only a lineage's owner adds versions to it: ask them to retrain.`,
    );
  const params = datasetParamsSchema.parse(source.params);
  const created = await createDatasetVersion(actor, { name: source.dataset.name, params });
  const retrain = await db().advisorRetrain.create({
    data: {
      promotionId: plan.promotionId,
      sourceVersionId: plan.sourceVersionId,
      sourceFineTuneJobId: plan.sourceFineTuneJobId,
      datasetVersionId: created.versionId,
      createdById: actor.id,
    },
  });
  if (opts.enqueue !== false) {
    try {
      await enqueueRetrain(retrain.id);
    } catch (e) {
      const error = `Could not queue the retrain: ${(e as Error).message}`;
      await db().advisorRetrain.update({ where: { id: retrain.id }, data: { error } });
      await db().datasetVersion.update({ where: { id: created.versionId }, data: { status: 'failed', error } });
      throw e;
    }
  }
  return { retrainId: retrain.id, datasetVersionId: created.versionId, datasetName: created.name, version: created.version };
}

export function enqueueRetrain(retrainId: number): Promise<string | null> {
  return enqueue(QUEUES.advisorRetrain, { retrainId }, { singletonKey: `advisor-retrain-${retrainId}` });
}

async function retrainEnded(retrainId: number): Promise<boolean> {
  const r = await db().advisorRetrain.findUnique({ where: { id: retrainId }, select: { error: true, fineTuneJobId: true, datasetVersionId: true } });
  if (!r || r.error) return true;
  if (!r.fineTuneJobId) {
    const v = await db().datasetVersion.findUnique({ where: { id: r.datasetVersionId }, select: { status: true } });
    return v?.status === 'failed';
  }
  const j = await db().fineTuneJob.findUnique({ where: { id: r.fineTuneJobId }, select: { status: true } });
  return !j || isTerminal(j.status);
}

export type RetrainStepOutcome = 'launched' | 'already-launched' | 'failed' | 'skipped';

async function fail(retrainId: number, error: string): Promise<RetrainStepOutcome> {
  await db().advisorRetrain.update({ where: { id: retrainId }, data: { error: error.slice(0, 2000) } });
  return 'failed';
}

/**
 * The chain's one step, idempotent: build the version if it is not built, then record the
 * fine-tune with the source's settings and hand it to the launch queue. A retried or
 * duplicated job finds the fine-tune it recorded (the lock plus the lookup below) instead of
 * launching a second one.
 */
export async function runRetrainStep(retrainId: number, opts: { enqueueLaunch?: boolean } = {}): Promise<RetrainStepOutcome> {
  const r = await db().advisorRetrain.findUnique({ where: { id: retrainId } });
  if (!r || r.error) return 'skipped';
  if (r.fineTuneJobId) return 'already-launched';
  let version = await db().datasetVersion.findUnique({ where: { id: r.datasetVersionId } });
  if (!version) return fail(retrainId, `dataset version #${r.datasetVersionId} no longer exists`);
  if (version.status === 'queued' || version.status === 'building') {
    try {
      await buildDatasetVersion(version.id);
    } catch (e) {
      // Bad input to the build is final (the version says why); anything else is retried.
      if (!(e instanceof DatasetBuildError)) throw e;
    }
    version = await db().datasetVersion.findUniqueOrThrow({ where: { id: r.datasetVersionId } });
  }
  if (version.status !== 'ready') return fail(retrainId, `The dataset version did not build: ${version.error ?? version.status}`);

  const source = await db().fineTuneJob.findUnique({ where: { id: r.sourceFineTuneJobId } });
  if (!source) return fail(retrainId, `fine-tune #${r.sourceFineTuneJobId} (the advisor's) no longer exists, so its settings are unknown`);
  const creator = await db().user.findUnique({ where: { id: r.createdById } });
  if (!creator) return fail(retrainId, 'the account that asked for this retrain no longer exists');
  const role = roleSchema.safeParse(creator.role);
  const actor: Actor = { id: creator.id, email: creator.email, name: creator.name, role: role.success ? role.data : 'reviewer' };
  const hp = hyperparametersSchema.parse(source.hyperparameters ?? {});

  const jobId = await db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`advisor-retrain:${retrainId}`}))`;
      const again = await tx.advisorRetrain.findUniqueOrThrow({ where: { id: retrainId } });
      if (again.fineTuneJobId || again.error) return again.fineTuneJobId;
      // A crash after the fine-tune was recorded but before it was linked: adopt it.
      const recorded = await tx.fineTuneJob.findFirst({
        where: { datasetVersionId: version.id, createdById: r.createdById, baseModel: source.baseModel, createdAt: { gte: r.createdAt } },
        orderBy: { id: 'asc' },
      });
      let id = recorded?.id;
      if (!id) {
        try {
          const launched = await launchFineTune(
            actor,
            {
              datasetVersionId: version.id,
              provider: source.provider,
              baseModel: source.baseModel,
              nEpochs: hp.n_epochs ?? 'auto',
              batchSize: hp.batch_size ?? 'auto',
              learningRateMultiplier: hp.learning_rate_multiplier ?? 'auto',
              ...(source.suffix ? { suffix: source.suffix } : {}),
              ...(source.seed !== null ? { seed: source.seed } : {}),
            },
            { enqueue: false },
          );
          id = launched.id;
        } catch (e) {
          if (e instanceof FineTuneInputError || (e as Error).name === 'ForbiddenError') {
            await tx.advisorRetrain.update({ where: { id: retrainId }, data: { error: `The fine-tune was refused: ${(e as Error).message}` } });
            return null;
          }
          throw e;
        }
      }
      await tx.advisorRetrain.update({ where: { id: retrainId }, data: { fineTuneJobId: id } });
      return id;
    },
    { timeout: 30_000 },
  );
  if (!jobId) return 'failed';
  // The launch queue's stately policy keeps a second copy from piling up; the worker's
  // start-up sweep would also pick up a pending run whose enqueue was lost.
  if (opts.enqueueLaunch !== false) await enqueueFineTuneLaunch(jobId);
  return 'launched';
}

const payloadSchema = z.object({ retrainId: z.number().int().positive() });

/** The worker's handler for QUEUES.advisorRetrain. */
export async function handleRetrainJob(job: Job<unknown>, log: (line: string) => void = () => {}): Promise<RetrainStepOutcome> {
  const p = payloadSchema.safeParse(job.data);
  if (!p.success) {
    log(`advisor-retrain: ignoring a job with a bad payload (${JSON.stringify(job.data).slice(0, 100)})`);
    return 'skipped';
  }
  const out = await runRetrainStep(p.data.retrainId);
  log(`advisor retrain #${p.data.retrainId}: ${out}`);
  return out;
}

/** Retrains whose chain stopped between steps (a worker restart), to queue again. */
export async function resumeRetrains(): Promise<number> {
  const open = await db().advisorRetrain.findMany({ where: { fineTuneJobId: null, error: null }, select: { id: true } });
  for (const r of open) await enqueueRetrain(r.id);
  return open.length;
}
