// Build step 2, the plan: splits for the conversations new to the lineage, and the file order
// of every conversation (split, seeded shuffle key, id) with the ordinal of its first example.
// With that written down, each batch of conversations can be rendered and written on its own,
// in any process, and still land on the same line numbers. One short transaction: the split
// assignments and the plan commit together with the stage flip, or not at all.
import type pg from 'pg';
import type { LabelValueName } from '../labeling/label-values';
import { copyRow } from '../imports/copy-text';
import { copyLines } from './build-sql';
import { DatasetBuildError } from './errors';
import { SPLITS, type DatasetParams, type SplitName } from './params';
import { assignNewConversations, conversationStratum, shuffleKey } from './split-assignment';

export interface PlanTally {
  conversations: number;
  newlyAssigned: number;
  inheritedAssignments: number;
  batches: number;
  batchConversations: number;
  examples: number;
}

interface PlanRow {
  conversationId: number;
  externalId: string;
  turns: number;
  split: SplitName;
  key: string;
}

export async function planVersion(
  writer: pg.Client,
  version: { id: number; datasetId: number; version: number },
  params: DatasetParams,
  frozen: number,
  batchConversations: number,
): Promise<PlanTally> {
  await writer.query('BEGIN');
  try {
    await writer.query('DELETE FROM dataset_build_conversations WHERE version_id = $1', [version.id]);
    const convs = (
      await writer.query<{ conversation_id: number; external_id: string; turns: number; schedule: boolean; end: boolean }>(
        `SELECT t.conversation_id, c.external_id, count(*)::int AS turns,
                bool_or(t.label = 'SCHEDULE') AS schedule, bool_or(t.label = 'END') AS end
         FROM dataset_build_turns t JOIN conversations c ON c.id = t.conversation_id
         WHERE t.version_id = $1 GROUP BY t.conversation_id, c.external_id`,
        [version.id],
      )
    ).rows;
    const planned = convs.reduce((n, c) => n + c.turns, 0);
    if (planned !== frozen) {
      throw new DatasetBuildError(`${frozen - planned} frozen turns belong to conversations deleted during the build; build a new version.`);
    }
    const stratumOf = (c: (typeof convs)[number]): LabelValueName =>
      conversationStratum([...(c.schedule ? ['SCHEDULE' as const] : []), ...(c.end ? ['END' as const] : [])]);
    const byId = new Map(convs.map((c) => [c.conversation_id, c]));
    const existing = new Map<number, { split: SplitName; stratum: LabelValueName }>();
    const lineage = await writer.query<{ conversation_id: number; split: SplitName }>(
      'SELECT conversation_id, split::text AS split FROM dataset_split_assignments WHERE dataset_id = $1',
      [version.datasetId],
    );
    for (const r of lineage.rows) {
      const c = byId.get(r.conversation_id);
      if (c) existing.set(r.conversation_id, { split: r.split, stratum: stratumOf(c) });
    }
    const fresh = assignNewConversations(
      convs.map((c) => ({ conversationId: c.conversation_id, externalId: c.external_id, stratum: stratumOf(c) })),
      existing,
      params.split,
      params.seed,
    );
    await copyLines(writer, 'COPY dataset_split_assignments (dataset_id, conversation_id, split, first_version) FROM STDIN', [
      [...fresh].map(([id, split]) => copyRow([version.datasetId, id, split, version.version])).join(''),
    ]);

    // File order: split, then the seeded shuffle key, then id (as the export reads it back).
    const rows: PlanRow[] = convs.map((c) => ({
      conversationId: c.conversation_id,
      externalId: c.external_id,
      turns: c.turns,
      split: fresh.get(c.conversation_id) ?? existing.get(c.conversation_id)!.split,
      key: shuffleKey(params.seed, c.external_id),
    }));
    const splitRank = (s: SplitName) => SPLITS.indexOf(s);
    rows.sort((a, b) => splitRank(a.split) - splitRank(b.split) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.conversationId - b.conversationId);
    const next: Record<SplitName, number> = { train: 1, validation: 1, test: 1 };
    let plan = '';
    rows.forEach((r, seq) => {
      plan += copyRow([version.id, seq, r.conversationId, r.externalId, r.split, next[r.split], r.turns]);
      next[r.split] += r.turns;
    });
    await copyLines(writer, 'COPY dataset_build_conversations (version_id, seq, conversation_id, external_id, split, first_ordinal, turns) FROM STDIN', [plan]);
    const tally: PlanTally = {
      conversations: rows.length,
      newlyAssigned: fresh.size,
      inheritedAssignments: existing.size,
      batches: Math.ceil(rows.length / batchConversations),
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
