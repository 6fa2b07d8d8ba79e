// Reads for the datasets pages and routes. Every signed-in role may read datasets; creating
// them is ml_lead/admin (create-dataset-version.ts).
import { db } from '../db';
import type { Actor } from '../auth/session';
import { UnauthenticatedError } from '../errors';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { SPLITS, type SplitName } from './params';
import { examplesWithContent } from './example-content';

export const VERSIONS_PAGE_SIZE = 25;
export const EXAMPLES_PAGE_SIZE = 20;

function assertSignedIn(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new UnauthenticatedError();
}

export function canCreateDatasets(actor: Actor): boolean {
  return actor.role === 'ml_lead' || actor.role === 'admin';
}

export type SplitCounts = Record<SplitName, Record<LabelValueName, number>>;

export function splitTotals(counts: SplitCounts | null | undefined): Record<SplitName, number> {
  const out = { train: 0, validation: 0, test: 0 };
  if (!counts) return out;
  for (const s of SPLITS) out[s] = LABEL_VALUES.reduce((n, l) => n + (counts[s]?.[l] ?? 0), 0);
  return out;
}

/** Newest versions first, keyset-paginated by id. */
export async function listDatasetVersions(actor: Actor | null, opts: { before?: number } = {}) {
  assertSignedIn(actor);
  const rows = await db().datasetVersion.findMany({
    where: opts.before ? { id: { lt: opts.before } } : {},
    orderBy: { id: 'desc' },
    take: VERSIONS_PAGE_SIZE + 1,
    select: {
      id: true,
      version: true,
      status: true,
      createdAt: true,
      exampleCount: true,
      contentHash: true,
      counts: true,
      progressDone: true,
      progressTotal: true,
      error: true,
      dataset: { select: { id: true, name: true } },
      createdBy: { select: { email: true } },
    },
  });
  const more = rows.length > VERSIONS_PAGE_SIZE;
  const versions = rows.slice(0, VERSIONS_PAGE_SIZE);
  return { versions, nextBefore: more ? versions[versions.length - 1].id : null };
}

export async function getDatasetVersion(actor: Actor | null, versionId: number) {
  assertSignedIn(actor);
  const version = await db().datasetVersion.findUnique({
    where: { id: versionId },
    include: {
      dataset: { include: { owner: { select: { email: true } } } },
      createdBy: { select: { email: true, name: true } },
    },
  });
  if (!version) return null;
  const siblings = await db().datasetVersion.findMany({
    where: { datasetId: version.datasetId },
    orderBy: { version: 'desc' },
    take: 50,
    select: { id: true, version: true, status: true, createdAt: true, contentHash: true, exampleCount: true },
  });
  return { version, siblings };
}

export async function getDatasetVersionStatus(actor: Actor | null, versionId: number) {
  assertSignedIn(actor);
  return db().datasetVersion.findUnique({
    where: { id: versionId },
    select: { id: true, status: true, progressPhase: true, progressDone: true, progressTotal: true, batchesDone: true, batchesTotal: true, error: true },
  });
}

/** A page of a split's examples in file order, optionally of one label; none until the version is ready. */
export async function listVersionExamples(actor: Actor | null, versionId: number, opts: { split: SplitName; label?: LabelValueName; after?: number }) {
  assertSignedIn(actor);
  const v = await db().datasetVersion.findUnique({ where: { id: versionId }, select: { status: true } });
  // A building version's batches are on disk already, but it is not a version until it is ready.
  if (v?.status !== 'ready') return { examples: [], nextAfter: null };
  const rows = await examplesWithContent(versionId, { split: opts.split, label: opts.label, after: opts.after, limit: EXAMPLES_PAGE_SIZE + 1 });
  const more = rows.length > EXAMPLES_PAGE_SIZE;
  const examples = rows.slice(0, EXAMPLES_PAGE_SIZE);
  return { examples, nextAfter: more ? examples[examples.length - 1].ordinal : null };
}

/** Every ready version, newest first (for pickers: launch a fine-tune, run an eval). */
export async function listReadyVersions(actor: Actor | null) {
  assertSignedIn(actor);
  return db().datasetVersion.findMany({
    where: { status: 'ready' },
    orderBy: { id: 'desc' },
    take: 200,
    select: { id: true, version: true, exampleCount: true, counts: true, dataset: { select: { name: true } } },
  });
}
