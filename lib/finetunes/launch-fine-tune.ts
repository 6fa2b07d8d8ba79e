// Launching a fine-tune from the page or the CLI: authorise, validate, record a pending run and
// queue its launch. Nothing reaches the provider here (that is the worker's launch job), and
// input that fails validation leaves the database untouched.
import crypto from 'node:crypto';
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { priceFor } from '../datasets/fine-tune-prices';
import { enqueueFineTuneLaunch } from './enqueue';
import { FineTuneInputError, type InputIssue } from './errors';
import { launchInputSchema, requestedHyperparameters, type ParsedLaunchInput } from './launch-params';
import { PROVIDER_NAMES } from './provider-ids';
import { isProviderConfigured } from './providers';
import { fileTooLargeProblem } from './providers/file-limits';
import { storedJson } from '../stored-json';

const versionChecksSchema = z.looseObject({
  trainable: z.boolean(),
  items: z.array(z.looseObject({ level: z.string(), title: z.string(), detail: z.string() })).default([]),
  cost: z.looseObject({ examples: z.number(), nEpochs: z.number(), billingTokens: z.number() }),
});

/** Per-split sizes the build recorded (content-hash.ts's digest). */
const versionFilesSchema = z.looseObject({
  train: z.looseObject({ bytes: z.number() }).optional(),
  validation: z.looseObject({ bytes: z.number() }).optional(),
});

export interface EstimatedCost {
  model: string;
  nEpochs: number;
  /** True when the epochs were "auto" and nEpochs is the default rule's pick. */
  epochsAuto: boolean;
  examples: number;
  billingTokens: number;
  chargedTokens: number;
  usdPerMillionTrainingTokens: number | null;
  usd: number | null;
}

function estimateRunCost(cost: z.infer<typeof versionChecksSchema>['cost'], p: ParsedLaunchInput): EstimatedCost {
  const nEpochs = p.nEpochs === 'auto' ? cost.nEpochs : p.nEpochs;
  const chargedTokens = nEpochs * cost.billingTokens;
  const price = p.provider === 'local' ? { usdPerMillionTrainingTokens: 0 } : priceFor(p.baseModel);
  return {
    model: p.baseModel,
    nEpochs,
    epochsAuto: p.nEpochs === 'auto',
    examples: cost.examples,
    billingTokens: cost.billingTokens,
    chargedTokens,
    usdPerMillionTrainingTokens: price?.usdPerMillionTrainingTokens ?? null,
    usd: price ? Math.round((chargedTokens / 1e6) * price.usdPerMillionTrainingTokens * 100) / 100 : null,
  };
}

export interface LaunchedFineTune {
  id: number;
  status: 'pending';
  estimatedCost: EstimatedCost;
}

/**
 * ml_lead/admin. Records the run (pending) and queues `finetune-launch`. Throws AuthError (403),
 * FineTuneInputError (per-field issues; nothing written), or the queue's error (the run is then
 * marked failed). `enqueue: false` leaves the launch to the caller (the CLI's --wait runs it
 * in-process; the worker's start-up sweep would also pick a pending run up).
 */
export async function launchFineTune(actor: Actor, input: unknown, opts: { enqueue?: boolean } = {}): Promise<LaunchedFineTune> {
  assertRole(actor, 'ml_lead', 'admin');
  const parsed = launchInputSchema.safeParse(input);
  if (!parsed.success) throw FineTuneInputError.fromZod(parsed.error);
  const p = parsed.data;

  const issues: InputIssue[] = [];
  const version = await db().datasetVersion.findUnique({ where: { id: p.datasetVersionId }, include: { dataset: { select: { name: true } } } });
  let checks: z.infer<typeof versionChecksSchema> | null = null;
  if (!version) {
    issues.push({ field: 'datasetVersionId', message: `dataset version ${p.datasetVersionId} does not exist` });
  } else {
    const label = `${version.dataset.name} v${version.version}`;
    const parsedChecks = versionChecksSchema.safeParse(version.checks);
    if (version.status !== 'ready') {
      issues.push({
        field: 'datasetVersionId',
        message: `${label} is ${version.status === 'failed' ? 'a failed build' : `not ready yet (${version.status})`}; only a ready version can be fine-tuned`,
      });
    } else if (!parsedChecks.success) {
      issues.push({ field: 'datasetVersionId', message: `${label} has no pre-flight report; build a new version` });
    } else if (!parsedChecks.data.trainable) {
      const why = parsedChecks.data.items.filter((i) => i.level === 'error').map((i) => i.detail);
      issues.push({ field: 'datasetVersionId', message: `${label} cannot be fine-tuned: ${why.length ? why.join(' ') : 'its pre-flight checks failed'}` });
    } else {
      checks = parsedChecks.data;
    }
  }
  const provider = await isProviderConfigured(p.provider);
  if (!provider.configured) issues.push({ field: 'provider', message: provider.problem });
  // Told now, before anything is uploaded: a file over the provider's per-file limit would only fail at upload.
  if (version && checks) {
    const files = versionFilesSchema.safeParse(version.files);
    if (files.success) {
      for (const [split, name] of [
        ['train', 'train.jsonl'],
        ['validation', 'validation.jsonl'],
      ] as const) {
        const problem = fileTooLargeProblem(p.provider, PROVIDER_NAMES[p.provider], name, files.data[split]?.bytes ?? 0);
        if (problem) issues.push({ field: 'provider', message: problem });
      }
    }
  }
  if (issues.length || !checks) throw new FineTuneInputError(issues);

  const estimatedCost = estimateRunCost(checks.cost, p);
  const job = await db().fineTuneJob.create({
    data: {
      datasetVersionId: p.datasetVersionId,
      provider: p.provider,
      baseModel: p.baseModel,
      hyperparameters: requestedHyperparameters(p),
      suffix: p.suffix ?? null,
      seed: p.seed ?? null,
      idempotencyKey: crypto.randomUUID(),
      estimatedCost: storedJson(estimatedCost),
      createdById: actor.id,
    },
  });
  if (opts.enqueue !== false) {
    try {
      await enqueueFineTuneLaunch(job.id);
    } catch (e) {
      await db().fineTuneJob.update({
        where: { id: job.id },
        data: { status: 'failed', error: `Could not queue the launch: ${(e as Error).message}`, finishedAt: new Date() },
      });
      throw e;
    }
  }
  return { id: job.id, status: 'pending', estimatedCost };
}
