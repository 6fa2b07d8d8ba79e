// Where the latest retrain of the advisor's lineage stands, for the Advisor page: the dataset
// build, the fine-tune, and the new model's test-split and golden figures beside the
// advisor's own (from the fine-tune's automatic evals).
import type { Actor } from '../auth/session';
import { db } from '../db';
import { assertSignedIn } from '../evals/queries';
import { autoEvalAfterFineTune } from '../evals/settings';
import { figuresOfModels, type ModelFigures } from './promotion-preview';
import { retrainPlan, type RetrainPlan } from './retrain';

export type RetrainStage = 'building' | 'training' | 'evaluating' | 'done' | 'failed';

export interface RetrainView {
  id: number;
  createdAt: Date;
  createdByEmail: string;
  stage: RetrainStage;
  error: string | null;
  version: { id: number; label: string; status: string; phase: string | null; done: number; total: number; examples: number };
  fineTune: { id: number; status: string; model: string | null; error: string | null } | null;
  /** The new model's figures and the advisor's, side by side (null until there is a model). */
  figures: { retrained: ModelFigures; advisor: ModelFigures } | null;
  /** Evaluations of the new model (test split, golden set) still queued or running. */
  evalsRunning: number;
}

export interface RetrainPanel {
  plan: RetrainPlan;
  latest: RetrainView | null;
}

export async function retrainPanel(actor: Actor | null): Promise<RetrainPanel> {
  assertSignedIn(actor);
  const plan = await retrainPlan();
  const r = plan.possible ? await db().advisorRetrain.findFirst({ where: { sourceVersionId: plan.sourceVersionId }, orderBy: { id: 'desc' } }) : null;
  if (!plan.possible || !r) return { plan, latest: null };

  const [version, job, by] = await Promise.all([
    db().datasetVersion.findUniqueOrThrow({ where: { id: r.datasetVersionId }, include: { dataset: { select: { name: true } } } }),
    r.fineTuneJobId ? db().fineTuneJob.findUnique({ where: { id: r.fineTuneJobId } }) : null,
    db().user.findUnique({ where: { id: r.createdById }, select: { email: true } }),
  ]);
  const model = job?.status === 'succeeded' ? job.fineTunedModel : null;
  const [evalsRunning, evalsAny] = model
    ? await Promise.all([
        db().evalRun.count({ where: { fineTuneJobId: job!.id, model, status: { in: ['queued', 'running'] } } }),
        db().evalRun.count({ where: { fineTuneJobId: job!.id, model } }),
      ])
    : [0, 0];
  const figures = model
    ? await figuresOfModels(actor, [
        { model, datasetVersionId: version.id },
        { model: plan.model, datasetVersionId: plan.sourceVersionId },
      ])
    : null;
  const retrained = model ? figures!.get(model)! : null;

  let stage: RetrainStage;
  if (r.error || version.status === 'failed' || (job && (job.status === 'failed' || job.status === 'cancelled'))) stage = 'failed';
  else if (!job) stage = 'building';
  else if (job.status !== 'succeeded') stage = 'training';
  // Runs queued or running; or none yet a moment after the fine-tune finished (the poller
  // creates them right after). None later: automatic evals are off or were skipped.
  else if (evalsRunning > 0 || (evalsAny === 0 && autoEvalAfterFineTune() && (job.finishedAt?.getTime() ?? 0) > Date.now() - 60_000)) stage = 'evaluating';
  else stage = 'done';

  return {
    plan,
    latest: {
      id: r.id,
      createdAt: r.createdAt,
      createdByEmail: by?.email ?? 'a removed account',
      stage,
      error: r.error ?? (version.status === 'failed' ? version.error : null) ?? (job?.status === 'failed' ? job.error : null),
      version: {
        id: version.id,
        label: `${version.dataset.name} v${version.version}`,
        status: version.status,
        phase: version.progressPhase,
        done: version.progressDone,
        total: version.progressTotal,
        examples: version.exampleCount,
      },
      fineTune: job ? { id: job.id, status: job.status, model: job.fineTunedModel, error: job.error } : null,
      figures: model ? { retrained: retrained!, advisor: figures!.get(plan.model)! } : null,
      evalsRunning,
    },
  };
}
