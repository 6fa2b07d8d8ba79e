// What McNemar needs of two runs on the same examples, counted in PostgreSQL: the predictions of
// the baseline joined to each other run's on the example (ordinal, unique per run on one dataset
// version and split), grouped per conversation. Only one row per run comes back: the totals and
// the per-conversation differences |d_k| (those ≠ 0), as big-endian int32s.
import { db } from '../db';
import type { DiscordanceCounts } from './metrics';

export interface PairedCounts extends Required<DiscordanceCounts> {
  runId: number;
}

interface Row {
  runId: number;
  n: number;
  b01: number;
  b10: number;
  diffs: Uint8Array | null;
}

/** For each of `otherRunIds`: pairs with the baseline, discordant counts, and the per-conversation differences. */
export async function pairedDiscordance(baseRunId: number, otherRunIds: number[]): Promise<Map<number, PairedCounts>> {
  const rows = await db().$queryRaw<Row[]>`
    SELECT run_id AS "runId", sum(n)::int AS n, sum(b01)::int AS b01, sum(b10)::int AS b10,
           string_agg(int4send(abs(b10 - b01)), ''::bytea ORDER BY first) FILTER (WHERE b10 <> b01) AS diffs
    FROM (
      SELECT b.run_id, a.conversation_id, min(a.ordinal) AS first, count(*)::int AS n,
             count(*) FILTER (WHERE a.predicted = a.truth::text AND b.predicted <> b.truth::text)::int AS b10,
             count(*) FILTER (WHERE a.predicted <> a.truth::text AND b.predicted = b.truth::text)::int AS b01
      FROM eval_predictions a
      JOIN eval_predictions b ON b.run_id = ANY(${otherRunIds}::int[]) AND b.ordinal = a.ordinal
      WHERE a.run_id = ${baseRunId}
      GROUP BY b.run_id, a.conversation_id
    ) per_conversation
    GROUP BY run_id`;
  const out = new Map<number, PairedCounts>();
  for (const id of otherRunIds) out.set(id, { runId: id, n: 0, b01: 0, b10: 0, clusterDiffs: [] });
  for (const r of rows) {
    const diffs: number[] = [];
    if (r.diffs) {
      const view = new DataView(r.diffs.buffer, r.diffs.byteOffset, r.diffs.byteLength);
      for (let i = 0; i < r.diffs.byteLength; i += 4) diffs.push(view.getInt32(i, false));
    }
    out.set(r.runId, { runId: r.runId, n: r.n, b01: r.b01, b10: r.b10, clusterDiffs: diffs });
  }
  return out;
}
