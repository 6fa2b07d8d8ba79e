// Build step 2, the plan: splits for the conversations new to the lineage, and the file order
// of every conversation (split, seeded shuffle key, id) with the ordinal of its first example.
// With that written down, each batch of conversations can be rendered and written on its own,
// in any process, and still land on the same line numbers. One short transaction: the split
// assignments and the plan commit together with the stage flip, or not at all.
//
// Set-based: PostgreSQL reads the frozen turns (one row per conversation), computes each one's stratum
// and shuffle key (the same sha256 as shuffleKey in split-assignment.ts), and numbers the file
// order with window functions; only the per-stratum counts come back, for the quotas
// (freshQuotas, the rule assignNewConversations uses). Nothing per conversation is held here.
// Each plan row also carries its conversation's frozen labels (message ids and labels, in id
// order), so the batches never look a frozen turn up by key.
import type pg from 'pg';
import type { LabelValueName } from '../labeling/label-values';
import { DatasetBuildError } from './errors';
import { SPLITS, type DatasetParams, type SplitName } from './params';
import { freshQuotas } from './split-assignment';

export interface PlanTally {
  conversations: number;
  newlyAssigned: number;
  inheritedAssignments: number;
  batches: number;
  batchConversations: number;
  examples: number;
}

/** shuffleKey(seed, external_id) as bytea (its 8 bytes compare as its 16 hex digits do). */
const SHUFFLE_KEY_SQL = `substring(sha256(convert_to($2::text, 'UTF8') || '\\x00'::bytea || convert_to(c.external_id, 'UTF8')) FROM 1 FOR 8)`;

export async function planVersion(
  writer: pg.Client,
  version: { id: number; datasetId: number; version: number },
  params: DatasetParams,
  frozen: number,
  batchConversations: number,
): Promise<PlanTally> {
  await writer.query('BEGIN');
  try {
    await writer.query(`SET LOCAL work_mem = '128MB'`);
    await writer.query('DELETE FROM dataset_build_conversations WHERE version_id = $1', [version.id]);
    // A conversation's stratum: its rarest, most decision-relevant label (conversationStratum).
    await writer.query(
      `CREATE TEMP TABLE build_plan ON COMMIT DROP AS
       SELECT t.conversation_id, c.external_id, cardinality(t.message_ids) AS turns, t.message_ids, t.labels,
              CASE WHEN 'SCHEDULE' = ANY (t.labels) THEN 'SCHEDULE' WHEN 'END' = ANY (t.labels) THEN 'END' ELSE 'CONTINUE' END AS stratum,
              a.split::text AS existing, ${SHUFFLE_KEY_SQL} AS key
       FROM dataset_build_turns t JOIN conversations c ON c.id = t.conversation_id
       LEFT JOIN dataset_split_assignments a ON a.dataset_id = $3 AND a.conversation_id = t.conversation_id
       WHERE t.version_id = $1`,
      [version.id, params.seed, version.datasetId],
    );
    const groups = (
      await writer.query<{ stratum: LabelValueName; existing: SplitName | null; n: number; turns: string }>(
        'SELECT stratum, existing, count(*)::int AS n, sum(turns) AS turns FROM build_plan GROUP BY stratum, existing',
      )
    ).rows;
    const planned = groups.reduce((n, g) => n + Number(g.turns), 0);
    if (planned !== frozen) {
      throw new DatasetBuildError(`${frozen - planned} frozen turns belong to conversations deleted during the build; build a new version.`);
    }
    const strata = [...new Set(groups.map((g) => g.stratum))];
    const quotas = strata.map((stratum) => {
      const of = groups.filter((g) => g.stratum === stratum);
      const have = SPLITS.map((s) => of.find((g) => g.existing === s)?.n ?? 0);
      return freshQuotas(have, of.find((g) => g.existing === null)?.n ?? 0, params.split);
    });
    // The fresh conversations of each stratum in shuffle-key order: the first quota[0] to train,
    // the next quota[1] to validation, the rest to test.
    const fresh = await writer.query(
      `INSERT INTO dataset_split_assignments (dataset_id, conversation_id, split, first_version)
       SELECT $1, f.conversation_id, (CASE WHEN f.rn <= q.train THEN 'train' WHEN f.rn <= q.train + q.validation THEN 'validation' ELSE 'test' END)::"DatasetSplit", $2
       FROM (SELECT conversation_id, stratum, row_number() OVER (PARTITION BY stratum ORDER BY key, conversation_id) AS rn
             FROM build_plan WHERE existing IS NULL) f
       JOIN unnest($3::text[], $4::int[], $5::int[]) AS q(stratum, train, validation) ON q.stratum = f.stratum`,
      [version.datasetId, version.version, strata, quotas.map((q) => q[0]), quotas.map((q) => q[1])],
    );
    // File order: split, then the seeded shuffle key, then id (as the export reads it back).
    const plan = await writer.query(
      `INSERT INTO dataset_build_conversations (version_id, seq, conversation_id, external_id, split, first_ordinal, turns, message_ids, labels)
       SELECT $1, row_number() OVER (ORDER BY array_position($3::text[], x.split::text), x.key, x.conversation_id) - 1,
              x.conversation_id, x.external_id, x.split,
              1 + sum(x.turns) OVER (PARTITION BY x.split ORDER BY x.key, x.conversation_id ROWS UNBOUNDED PRECEDING) - x.turns, x.turns,
              x.message_ids, x.labels
       FROM (SELECT p.conversation_id, p.external_id, p.turns, p.key, a.split, p.message_ids, p.labels
             FROM build_plan p JOIN dataset_split_assignments a ON a.dataset_id = $2 AND a.conversation_id = p.conversation_id) x`,
      [version.id, version.datasetId, SPLITS],
    );
    const conversations = plan.rowCount ?? 0;
    const tally: PlanTally = {
      conversations,
      newlyAssigned: fresh.rowCount ?? 0,
      inheritedAssignments: groups.filter((g) => g.existing !== null).reduce((n, g) => n + g.n, 0),
      batches: Math.ceil(conversations / batchConversations),
      batchConversations,
      examples: planned,
    };
    await writer.query(
      `UPDATE dataset_versions SET build_stage = 'planned', batches_done = 0, batches_total = $2,
              progress_phase = 'Writing examples', progress_done = 0, progress_total = $4,
              build_state = coalesce(build_state, '{}'::jsonb) || jsonb_build_object('plan', $3::jsonb)
       WHERE id = $1`,
      [version.id, tally.batches, JSON.stringify(tally), tally.examples],
    );
    await writer.query('COMMIT');
    return tally;
  } catch (e) {
    await writer.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
