// Build step 4, the finish: once every batch is written, the content hash, per-file digests,
// counts, token statistics and pre-flight checks are computed from what was stored, and the
// version turns ready in one transaction (which also drops its scratch rows). Until that
// commit, the version is "building" and no reader serves its examples.
import type pg from 'pg';
import { addLineChecks, emptyLineChecks, TokenCollector } from './example-stats';
import { emptyCounts, type BatchStats, type InMemoryDigest, type SplitCounts } from './build-batches';
import { cursorRows } from './build-sql';
import type { FreezeTally } from './build-freeze';
import type { PlanTally } from './build-plan';
import { digestStoredFiles } from './export-files';
import { LABEL_VALUES } from '../labeling/label-values';
import { formatPolicy, SPLITS, type DatasetParams, type SplitName } from './params';
import { runPreflight } from './preflight';

export interface FinishedVersion {
  exampleCount: number;
  contentHash: string;
  counts: SplitCounts;
}

export async function finishVersion(
  client: pg.Client,
  version: { id: number; datasetId: number },
  params: DatasetParams,
  freeze: FreezeTally,
  plan: PlanTally,
  digest: InMemoryDigest | null,
): Promise<FinishedVersion> {
  const counts = emptyCounts();
  const checks = emptyLineChecks();
  let written = 0;
  for await (const { stats } of cursorRows<{ stats: BatchStats }>(client, 'SELECT stats FROM dataset_build_batches WHERE version_id = $1 ORDER BY batch', [
    version.id,
  ])) {
    written += stats.examples;
    addLineChecks(checks, stats);
    for (const s of SPLITS) for (const l of LABEL_VALUES) counts[s][l] += stats.counts[s][l];
  }
  if (written !== plan.examples) throw new Error(`the batches wrote ${written} examples, the plan has ${plan.examples}`);

  // An uninterrupted build hashed every line as it wrote it; a resumed one reads the files back.
  const whole = digest && digest.nextBatch === plan.batches;
  const { files, contentHash } = whole ? digest.hasher.digest() : await digestStoredFiles(client, version.id, params.instructions);
  let tokens = whole ? digest.tokens : null;
  if (!tokens) {
    tokens = new TokenCollector();
    for await (const r of cursorRows<{ split: SplitName; tokens: number }>(
      client,
      'SELECT split::text AS split, tokens FROM dataset_examples WHERE version_id = $1 ORDER BY split, ordinal',
      [version.id],
    )) {
      tokens.add(r.split, r.tokens);
    }
  }
  const duplicates = (
    await client.query<{ exact: string; conflicting: string; cross_split: string }>(
      `SELECT coalesce(sum(n - labels), 0) AS exact,
              count(*) FILTER (WHERE labels > 1) AS conflicting,
              count(*) FILTER (WHERE splits > 1) AS cross_split
       FROM (SELECT count(*) AS n, count(DISTINCT label) AS labels, count(DISTINCT split) AS splits
             FROM dataset_examples WHERE version_id = $1 GROUP BY content_md5) g`,
      [version.id],
    )
  ).rows[0];
  const { report, tokens: tokenSummary } = runPreflight({
    counts,
    stats: tokens.stats(checks),
    duplicates: { exact: Number(duplicates.exact), conflicting: Number(duplicates.conflicting), crossSplit: Number(duplicates.cross_split) },
  });
  const sameAs = (
    await client.query<{ version: number }>(
      `SELECT version FROM dataset_versions WHERE dataset_id = $1 AND content_hash = $2 AND status = 'ready' ORDER BY version DESC LIMIT 1`,
      [version.datasetId, contentHash],
    )
  ).rows[0]?.version;
  const exclusions = {
    labeledTurns: freeze.labeledTurns,
    opening: freeze.opening,
    withoutCandidate: freeze.withoutCandidate,
    includeTurnsWithoutCandidate: params.includeTurnsWithoutCandidate,
    chosen: formatPolicy(params.policy),
    policies: freeze.tallies,
    conversations: plan.conversations,
    newlyAssigned: plan.newlyAssigned,
    inheritedAssignments: plan.inheritedAssignments,
    sameContentAs: sameAs ?? null,
    ...(freeze.decidedBy ? { decidedBy: freeze.decidedBy } : {}),
  };
  await client.query('BEGIN');
  try {
    await client.query(
      `UPDATE dataset_versions SET status = 'ready', finished_at = now(), example_count = $2, content_hash = $3, files = $4,
              counts = $5, exclusions = $6, checks = $7, token_stats = $8, progress_phase = 'Done', progress_done = $2, progress_total = $2, error = NULL,
              build_stage = NULL, build_state = NULL
       WHERE id = $1`,
      [
        version.id,
        written,
        contentHash,
        JSON.stringify(files),
        JSON.stringify(counts),
        JSON.stringify(exclusions),
        JSON.stringify(report),
        JSON.stringify(tokenSummary),
      ],
    );
    await dropScratch(client, version.id);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
  return { exampleCount: written, contentHash, counts };
}

/** The build's scratch rows (frozen turns, plan, batch counts). */
export async function dropScratch(client: pg.Client, versionId: number): Promise<void> {
  for (const table of ['dataset_build_turns', 'dataset_build_conversations', 'dataset_build_batches']) {
    await client.query(`DELETE FROM ${table} WHERE version_id = $1`, [versionId]);
  }
}
