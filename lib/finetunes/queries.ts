// Reads for the fine-tune pages, the live view and the evaluations. Every signed-in role may
// read runs; launching and cancelling are ml_lead/admin. Nothing here returns a key: runs only
// ever hold provider ids.
import { z } from 'zod';
import { UnauthenticatedError } from '../errors';
import type { Actor } from '../auth/session';
import { db } from '../db';
import type { FineTuneEvent, FineTuneMetric } from '../generated/prisma/client';
import { FineTuneInputError } from './errors';
import { isTerminal } from './status';

export const FINE_TUNES_PAGE_SIZE = 25;
const DETAIL_EVENTS = 200;
const LIVE_EVENTS_MAX = 500;

function assertSignedIn(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new UnauthenticatedError();
}

export function canLaunchFineTunes(actor: Actor): boolean {
  return actor.role === 'ml_lead' || actor.role === 'admin';
}

const runIdSchema = z.number().int().positive();
function parseRunId(id: unknown): number {
  const r = runIdSchema.safeParse(id);
  if (!r.success) throw new FineTuneInputError([{ field: 'id', message: 'a run id is a whole number' }]);
  return r.data;
}

const durationSeconds = (from: Date | null, to: Date | null) => (from ? Math.max(0, Math.round(((to ?? new Date()).getTime() - from.getTime()) / 1000)) : null);

export interface FineTuneEventView {
  id: number;
  providerEventId: string;
  createdAt: Date;
  level: string;
  type: string | null;
  message: string;
  data: unknown;
}
export interface FineTuneMetricView {
  step: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  validLoss: number | null;
  validAccuracy: number | null;
}

const eventView = (e: FineTuneEvent): FineTuneEventView => ({
  id: Number(e.id),
  providerEventId: e.providerEventId,
  createdAt: e.createdAt,
  level: e.level,
  type: e.type,
  message: e.message,
  data: e.data,
});
const metricView = ({ jobId: _jobId, ...m }: FineTuneMetric): FineTuneMetricView => m;

const runSummarySelect = {
  id: true,
  provider: true,
  baseModel: true,
  status: true,
  suffix: true,
  fineTunedModel: true,
  cancelRequested: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  createdBy: { select: { email: true, name: true } },
  datasetVersion: { select: { id: true, version: true, dataset: { select: { id: true, name: true } } } },
} as const;

/** Newest runs first, keyset-paginated by id (`before` = the last id of the previous page). */
export async function listFineTunes(actor: Actor | null, opts: { before?: number } = {}) {
  assertSignedIn(actor);
  const before = opts.before === undefined ? undefined : parseRunId(opts.before);
  const rows = await db().fineTuneJob.findMany({
    where: before ? { id: { lt: before } } : {},
    orderBy: { id: 'desc' },
    take: FINE_TUNES_PAGE_SIZE + 1,
    select: runSummarySelect,
  });
  const more = rows.length > FINE_TUNES_PAGE_SIZE;
  const runs = rows.slice(0, FINE_TUNES_PAGE_SIZE).map((r) => ({
    id: r.id,
    dataset: { id: r.datasetVersion.dataset.id, name: r.datasetVersion.dataset.name },
    datasetVersion: { id: r.datasetVersion.id, version: r.datasetVersion.version },
    provider: r.provider,
    baseModel: r.baseModel,
    status: r.status,
    suffix: r.suffix,
    fineTunedModel: r.fineTunedModel,
    cancelRequested: r.cancelRequested,
    error: r.error,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationSeconds: durationSeconds(r.startedAt, r.finishedAt),
  }));
  return { runs, nextBefore: more ? runs[runs.length - 1].id : null };
}

/** One run with everything its page shows; null when it does not exist. */
export async function getFineTune(actor: Actor | null, id: number) {
  assertSignedIn(actor);
  const runId = parseRunId(id);
  const r = await db().fineTuneJob.findUnique({
    where: { id: runId },
    include: {
      createdBy: { select: { email: true, name: true } },
      datasetVersion: {
        select: { id: true, version: true, exampleCount: true, counts: true, contentHash: true, dataset: { select: { id: true, name: true } } },
      },
    },
  });
  if (!r) return null;
  const [latest, metrics, eventCount] = await Promise.all([
    db().fineTuneEvent.findMany({ where: { jobId: runId }, orderBy: { id: 'desc' }, take: DETAIL_EVENTS }),
    db().fineTuneMetric.findMany({ where: { jobId: runId }, orderBy: { step: 'asc' } }),
    db().fineTuneEvent.count({ where: { jobId: runId } }),
  ]);
  return {
    id: r.id,
    dataset: r.datasetVersion.dataset,
    datasetVersion: {
      id: r.datasetVersion.id,
      version: r.datasetVersion.version,
      exampleCount: r.datasetVersion.exampleCount,
      counts: r.datasetVersion.counts,
      contentHash: r.datasetVersion.contentHash,
    },
    provider: r.provider,
    baseModel: r.baseModel,
    status: r.status,
    terminal: isTerminal(r.status),
    suffix: r.suffix,
    seed: r.seed,
    hyperparameters: { requested: r.hyperparameters, resolved: r.resolvedHyperparameters },
    providerJobId: r.providerJobId,
    trainingFileId: r.trainingFileId,
    validationFileId: r.validationFileId,
    resultFileId: r.resultFileId,
    fineTunedModel: r.fineTunedModel,
    trainedTokens: r.trainedTokens,
    estimatedCost: r.estimatedCost,
    error: r.error,
    cancelRequested: r.cancelRequested,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationSeconds: durationSeconds(r.startedAt, r.finishedAt),
    lastPolledAt: r.lastPolledAt,
    nextPollAt: r.nextPollAt,
    pollIntervalMs: r.pollIntervalMs,
    providerStatus: r.providerStatus,
    /** Azure OpenAI: the provider's model id and the deployment that serves it (then fineTunedModel). */
    providerModel: r.providerModel,
    deploymentName: r.deploymentName,
    /** The latest events, oldest of them first. */
    events: latest.reverse().map(eventView),
    eventCount,
    metrics: metrics.map(metricView),
  };
}

/**
 * What a live page polls: the run's state, the events after `afterEventId` (the latest 200
 * when absent) oldest first, and all metrics. Null when the run does not exist.
 */
export async function getFineTuneLive(actor: Actor | null, id: number, opts: { afterEventId?: number } = {}) {
  assertSignedIn(actor);
  const runId = parseRunId(id);
  const r = await db().fineTuneJob.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      fineTunedModel: true,
      error: true,
      trainedTokens: true,
      resolvedHyperparameters: true,
      cancelRequested: true,
      startedAt: true,
      finishedAt: true,
      lastPolledAt: true,
    },
  });
  if (!r) return null;
  const after = opts.afterEventId === undefined ? undefined : z.number().int().nonnegative().parse(opts.afterEventId);
  const events =
    after === undefined
      ? (await db().fineTuneEvent.findMany({ where: { jobId: runId }, orderBy: { id: 'desc' }, take: DETAIL_EVENTS })).reverse()
      : await db().fineTuneEvent.findMany({ where: { jobId: runId, id: { gt: BigInt(after) } }, orderBy: { id: 'asc' }, take: LIVE_EVENTS_MAX });
  const metrics = await db().fineTuneMetric.findMany({ where: { jobId: runId }, orderBy: { step: 'asc' } });
  const views = events.map(eventView);
  return {
    ...r,
    terminal: isTerminal(r.status),
    durationSeconds: durationSeconds(r.startedAt, r.finishedAt),
    events: views,
    /** Pass back as afterEventId on the next poll. */
    lastEventId: views.at(-1)?.id ?? after ?? null,
    metrics: metrics.map(metricView),
  };
}

/** Every fine-tuned model with where it came from: dataset version → run → model. */
export async function listFineTunedModels(actor: Actor | null) {
  assertSignedIn(actor);
  const rows = await db().fineTuneJob.findMany({
    where: { status: 'succeeded', fineTunedModel: { not: null } },
    orderBy: { id: 'desc' },
    select: {
      id: true,
      provider: true,
      baseModel: true,
      fineTunedModel: true,
      finishedAt: true,
      datasetVersion: { select: { id: true, version: true, dataset: { select: { id: true, name: true } } } },
    },
  });
  return rows.map((r) => ({
    model: r.fineTunedModel!,
    provider: r.provider,
    baseModel: r.baseModel,
    jobId: r.id,
    dataset: r.datasetVersion.dataset,
    datasetVersion: { id: r.datasetVersion.id, version: r.datasetVersion.version },
    finishedAt: r.finishedAt,
  }));
}
