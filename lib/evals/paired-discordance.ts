// What McNemar needs of two runs on the same examples, counted in PostgreSQL: the predictions of
// the baseline joined to each other run's on the example (ordinal, unique per run on one dataset
// version and split), grouped per conversation. Only one row per run comes back: the totals and
// the per-conversation differences |d_k| (those ≠ 0), as big-endian int32s.
import type { DiscordanceCounts } from './metrics';
import { aggregating } from './sql-aggregate';

export interface PairedCounts extends Required<DiscordanceCounts> {
  runId: number;
  /** Examples the two runs answered differently (right or wrong): the compare page's disagreement list. */
  differ: number;
}

interface Row {
  n: number;
  b01: number;
  b10: number;
  differ: number;
  diffs: Uint8Array | null;
}

/** One pair of runs, joined on the example. */
async function pairOf(baseRunId: number, otherRunId: number): Promise<PairedCounts> {
  const [r] = await aggregating(
    (tx) => tx.$queryRaw<Row[]>`
      SELECT coalesce(sum(n), 0)::int AS n, coalesce(sum(b01), 0)::int AS b01, coalesce(sum(b10), 0)::int AS b10,
             coalesce(sum(differ), 0)::int AS differ,
             string_agg(int4send(abs(b10 - b01)), ''::bytea ORDER BY first) FILTER (WHERE b10 <> b01) AS diffs
      FROM (
        SELECT a.conversation_id, min(a.ordinal) AS first, count(*)::int AS n,
               count(*) FILTER (WHERE a.predicted = a.truth::text AND b.predicted <> b.truth::text)::int AS b10,
               count(*) FILTER (WHERE a.predicted <> a.truth::text AND b.predicted = b.truth::text)::int AS b01,
               count(*) FILTER (WHERE a.predicted <> b.predicted)::int AS differ
        FROM eval_predictions a
        JOIN eval_predictions b ON b.run_id = ${otherRunId} AND b.ordinal = a.ordinal
        WHERE a.run_id = ${baseRunId}
        GROUP BY a.conversation_id
      ) per_conversation`,
    { hashGroups: false },
  );
  const diffs: number[] = [];
  if (r.diffs) {
    const view = new DataView(r.diffs.buffer, r.diffs.byteOffset, r.diffs.byteLength);
    for (let i = 0; i < r.diffs.byteLength; i += 4) diffs.push(view.getInt32(i, false));
  }
  return { runId: otherRunId, n: r.n, b01: r.b01, b10: r.b10, differ: r.differ, clusterDiffs: diffs };
}

/**
 * For each of `otherRunIds`: pairs with the baseline, discordant counts, and the per-conversation
 * differences. One join per pair, one after another: each is a scan of both runs, and a web
 * process should not run nine of them at once.
 */
export async function pairedDiscordance(baseRunId: number, otherRunIds: number[]): Promise<Map<number, PairedCounts>> {
  const out = new Map<number, PairedCounts>();
  for (const id of otherRunIds) out.set(id, await pairOf(baseRunId, id));
  return out;
}
