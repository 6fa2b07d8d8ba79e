// Builds a queued dataset version in resumable steps, none of them one long transaction:
//   1. freeze  (build-freeze.ts)   the labels, read in one snapshot, copied into scratch rows
//   2. plan    (build-plan.ts)     splits and file order, one short transaction
//   3. batches (build-batches.ts)  B conversations per transaction, progress committed with each
//   4. finish  (build-finish.ts)   hash, counts and checks from what was stored; ready, atomically
// The version row records how far it got (build_stage, batches_done), so a build that crashed,
// was killed or ran out of its time slice picks up at the next unwritten batch. Until step 4
// commits the version is "building", and pages, exports and evals do not read its examples.
import fs from 'node:fs';
import pg from 'pg';
import { db } from '../db';
import type { LabelValueName } from '../labeling/label-values';
import { commitBatch, readBatch, renderBatch, type InMemoryDigest, type RenderedBatch } from './build-batches';
import { dropScratch, finishVersion } from './build-finish';
import { freezeLabels, type FreezeTally } from './build-freeze';
import { planVersion, type PlanTally } from './build-plan';
import { SplitHasher } from './content-hash';
import { DatasetBuildError } from './errors';
import { TokenCollector } from './example-stats';
import { countTokens } from './tokens';
import { datasetParamsSchema, type SplitName } from './params';

export { DatasetBuildError } from './errors';
import { withDatasetBuildLease } from './build-lease';
import { splitCountsSchema } from './stored-json';

export type BuildProgress = (phase: string, done: number, total: number) => void;

/** Conversations per batch transaction (about 10k examples at the benchmark's 5 turns each). */
export const BATCH_CONVERSATIONS = 2_000;

// BUILD_DEBUG=1 prints how long each step took and the CPU seconds spent so far by this
// process and by the two connections' backends (read from /proc: a database on this machine).
const debugStart = performance.now();
const backendPids: number[] = [];
const debug = (step: string) => {
  if (!process.env.BUILD_DEBUG) return;
  const own = process.cpuUsage();
  const backends = backendPids.map((pid) => {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) / 100).toFixed(1);
    } catch {
      return '?';
    }
  });
  process.stderr.write(
    `[build] ${((performance.now() - debugStart) / 1000).toFixed(2)}s ${step} (CPU s: worker ${((own.user + own.system) / 1e6).toFixed(1)}, writer/reader backends ${backends.join('/')})\n`,
  );
};

/** Throttled progress writes to the version row (at most ~4 per second), for the freeze. */
function progressWriter(versionId: number, onProgress?: BuildProgress): BuildProgress & { flush(): Promise<void> } {
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const report = ((phase: string, done: number, total: number) => {
    onProgress?.(phase, done, total);
    const now = Date.now();
    if (now - last < 250 && done < total) return;
    last = now;
    pending = pending
      .then(() => db().datasetVersion.update({ where: { id: versionId }, data: { progressPhase: phase, progressDone: done, progressTotal: total } }))
      .catch(() => {});
  }) as BuildProgress & { flush(): Promise<void> };
  report.flush = () => pending.then(() => {});
  return report;
}

export interface BuildResult {
  versionId: number;
  exampleCount: number;
  contentHash: string;
  counts: Record<SplitName, Record<LabelValueName, number>>;
}

export interface BuildOptions {
  databaseUrl?: string;
  onProgress?: BuildProgress;
  /** Conversations per batch; fixed by the plan, so a resumed build keeps the first run's. */
  batchConversations?: number;
  /** Stop after the batch that ends past this time (ms since epoch) and return null: the worker queues the rest. */
  deadline?: number;
  /** Called after batch k commits (tests throw here to simulate a crash between batches). */
  afterBatch?: (batch: number) => void;
}

interface BuildState {
  freeze?: FreezeTally;
  plan?: PlanTally;
}

/** Builds the version to the end. */
export async function buildDatasetVersion(versionId: number, opts: Omit<BuildOptions, 'deadline'> = {}): Promise<BuildResult> {
  return (await buildDatasetVersionSlice(versionId, opts))!;
}

function builtResult(v: { id: number; exampleCount: number; contentHash: string | null; counts: unknown }): BuildResult {
  return {
    versionId: v.id,
    exampleCount: v.exampleCount,
    contentHash: v.contentHash ?? '',
    counts: splitCountsSchema.parse(v.counts) as BuildResult['counts'],
  };
}

/**
 * Builds, or resumes, the version; returns null if `deadline` passed before it was done. One
 * build per dataset at a time across every worker (the dataset's build lease, ./build-lease.ts):
 * builds of one lineage read and extend the same split assignments, so a second build waits (its
 * progress says for which version) and then starts from the assignments the first committed. A
 * duplicate delivery of a build that already finished returns what it built and changes nothing.
 */
export async function buildDatasetVersionSlice(versionId: number, opts: BuildOptions = {}): Promise<BuildResult | null> {
  const version = await db().datasetVersion.findUnique({ where: { id: versionId }, select: { datasetId: true, version: true } });
  if (!version) throw new DatasetBuildError(`dataset version ${versionId} does not exist`);
  return withDatasetBuildLease(version, () => buildSliceLocked(versionId, opts));
}

async function buildSliceLocked(versionId: number, opts: BuildOptions): Promise<BuildResult | null> {
  const progress = progressWriter(versionId, opts.onProgress);
  const connectionString = opts.databaseUrl ?? process.env.DATABASE_URL;
  const reader = new pg.Client({ connectionString });
  const writer = new pg.Client({ connectionString });
  await Promise.all([reader.connect(), writer.connect()]);
  writer.on('error', () => {}); // a connection the database dropped (a restart): the next query fails instead
  reader.on('error', () => {});
  if (process.env.BUILD_DEBUG) {
    backendPids.length = 0;
    for (const c of [writer, reader]) backendPids.push((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  }
  let claimed: { datasetId: number; version: number } | null = null;
  try {
    const version = await db().datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } });
    if (!version) throw new DatasetBuildError(`dataset version ${versionId} does not exist`);
    // Built meanwhile (by the delivery we waited for, or an earlier one): the same job's second run.
    if (version.status === 'ready') return builtResult(version);
    claimed = { datasetId: version.datasetId, version: version.version };
    const params = datasetParamsSchema.parse(version.params);
    await writer.query(`UPDATE dataset_versions SET status = 'building', started_at = coalesce(started_at, now()), error = NULL WHERE id = $1`, [versionId]);
    const state: BuildState = (version.buildState as BuildState | null) ?? {};
    let stage = version.buildStage;
    debug(`start (stage ${stage ?? 'new'}, ${version.batchesDone}/${version.batchesTotal} batches)`);

    if (!stage) {
      // The o200k encoder takes most of a second of this process's CPU to load: load it while
      // PostgreSQL runs the freeze's statement (this process only waits for it).
      state.freeze = await freezeLabels(
        writer,
        versionId,
        params,
        version.dataset.kind,
        (done, total) => progress('Resolving labels', done, total),
        () => countTokens('warm up'),
      );
      await progress.flush();
      await writer.query(`UPDATE dataset_versions SET build_stage = 'frozen', build_state = jsonb_build_object('freeze', $2::jsonb) WHERE id = $1`, [
        versionId,
        JSON.stringify(state.freeze),
      ]);
      stage = 'frozen';
      debug('labels frozen');
    }
    if (stage === 'frozen') {
      opts.onProgress?.('Assigning splits', 0, 1);
      state.plan = await planVersion(writer, version, params, state.freeze!.frozen, opts.batchConversations ?? BATCH_CONVERSATIONS);
      stage = 'planned';
      debug('planned');
    }
    const plan = state.plan!;
    const freeze = state.freeze!;
    const at = (
      await writer.query<{ batches_done: number; progress_done: number }>('SELECT batches_done, progress_done FROM dataset_versions WHERE id = $1', [versionId])
    ).rows[0];
    // Lines are hashed as they are written only when this call writes every batch in order.
    let digest: InMemoryDigest | null = at.batches_done === 0 ? { hasher: new SplitHasher(), tokens: new TokenCollector(), nextBatch: 0 } : null;
    let written = at.progress_done;
    const ctx = { versionId, params, batchConversations: plan.batchConversations, examplesTotal: plan.examples };
    // A two-stage pipeline over the two cores: while PostgreSQL writes batch k (writer) and reads
    // batch k + 2 (reader), this process renders batch k + 1. Each batch still commits on its
    // own, in order, with the same lock and check as before; a batch rendered but not committed
    // when the build stops is simply rendered again by the next run.
    const read = (k: number) => (k < plan.batches ? readBatch(reader, ctx, k) : Promise.resolve([]));
    let batch = at.batches_done;
    let nextRows = read(batch);
    let committing: Promise<void> = Promise.resolve();
    let skipped = false;
    const commit = async (k: number, rendered: RenderedBatch) => {
      const stats = await commitBatch(writer, ctx, k, rendered);
      if (!stats) {
        skipped = true;
        return;
      }
      if (digest) digest.nextBatch = k + 1;
      written += stats.examples;
      opts.onProgress?.('Writing examples', written, plan.examples);
      opts.afterBatch?.(k);
    };
    try {
      while (batch < plan.batches) {
        if (opts.deadline && Date.now() > opts.deadline) {
          await committing;
          return null;
        }
        const rows = await nextRows;
        nextRows = read(batch + 1);
        nextRows.catch(() => {}); // awaited next turn, or dropped when the loop ends early
        const rendered = renderBatch(ctx, rows, digest);
        await committing;
        if (skipped) {
          // Another build of this version wrote it: carry on after the last batch on disk.
          digest = null;
          skipped = false;
          batch = (await writer.query<{ batches_done: number }>('SELECT batches_done FROM dataset_versions WHERE id = $1', [versionId])).rows[0].batches_done;
          await nextRows;
          nextRows = read(batch);
          continue;
        }
        committing = commit(batch, rendered);
        // Awaited at the top of the next turn; until then a failed commit must not count as an
        // unhandled rejection (the next read may finish first).
        committing.catch(() => {});
        batch++;
      }
      await committing;
      if (skipped) {
        digest = null;
        const done = (await writer.query<{ batches_done: number }>('SELECT batches_done FROM dataset_versions WHERE id = $1', [versionId])).rows[0]
          .batches_done;
        if (done < plan.batches) throw new Error(`batch ${done} of version ${versionId} was not written`);
      }
    } finally {
      await Promise.allSettled([committing, nextRows]);
    }
    debug('batches written');
    opts.onProgress?.('Checking', 0, 1);
    await writer.query(`UPDATE dataset_versions SET progress_phase = 'Checking' WHERE id = $1`, [versionId]);
    const done = await finishVersion(writer, version, params, freeze, plan, digest);
    debug('ready');
    return { versionId, ...done };
  } catch (e) {
    await progress.flush();
    const message = e instanceof DatasetBuildError ? e.message : `Build failed: ${e instanceof Error ? e.message : String(e)}`;
    if (e instanceof DatasetBuildError && claimed) {
      // Final: nothing of this build is kept, and a rebuild starts from the freeze.
      await discardBuild(writer, versionId, claimed).catch(() => {});
    }
    // Anything else keeps what was committed, so the retry resumes from there.
    await db()
      .datasetVersion.updateMany({ where: { id: versionId, status: { not: 'ready' } }, data: { status: 'failed', error: message, finishedAt: new Date() } })
      .catch(() => {});
    throw e;
  } finally {
    await Promise.all([reader.end().catch(() => {}), writer.end().catch(() => {})]);
  }
}

async function discardBuild(client: pg.Client, versionId: number, v: { datasetId: number; version: number }) {
  await client.query('BEGIN');
  await client.query(`SELECT 1 FROM dataset_versions WHERE id = $1 FOR UPDATE`, [versionId]);
  await client.query('DELETE FROM dataset_examples WHERE version_id = $1', [versionId]);
  await client.query('DELETE FROM dataset_split_assignments WHERE dataset_id = $1 AND first_version = $2', [v.datasetId, v.version]);
  await dropScratch(client, versionId);
  await client.query(
    `UPDATE dataset_versions SET build_stage = NULL, build_state = NULL, batches_done = 0, batches_total = 0, progress_done = 0 WHERE id = $1`,
    [versionId],
  );
  await client.query('COMMIT');
}
