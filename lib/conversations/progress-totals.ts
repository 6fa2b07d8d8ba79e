// The labeling progress bar's numbers without a scan: the totals the triggers of migration
// multi_process keep in labeling_totals ("turns": decision turns of non-golden conversations,
// "reviewer:<id>": turns that reviewer labeled). A key's value is the sum of its delta rows;
// every label write appends a few, so a read that finds many folds them into one row. The
// fold is one statement (delete the rows, insert their sum): a reader in between sees either
// the rows or their sum, never both. One fold at a time (a transaction-scoped advisory lock
// taken in the same statement; a fold that finds it taken skips): two folds deleting rows in
// different orders could otherwise deadlock.
import { db } from '../db';

/** Rows of one key past which a read folds them (a read sums at most about this many). */
const FOLD_AFTER = 64;

async function fold(keys: string[] | null): Promise<void> {
  await db().$executeRaw`
    WITH turn AS (SELECT pg_try_advisory_xact_lock(hashtext('exit-advisor-studio:labeling-totals-fold')) AS mine),
    gone AS (
      DELETE FROM labeling_totals
       WHERE (SELECT mine FROM turn) AND (${keys}::text[] IS NULL OR key = ANY(${keys}::text[]))
      RETURNING key, delta)
    INSERT INTO labeling_totals (key, delta) SELECT key, sum(delta) FROM gone GROUP BY key`;
}

/** The current value of each key (0 for a key with no rows), folding keys that have grown long. */
export async function readTotals(keys: string[]): Promise<Map<string, number>> {
  const rows = await db().$queryRaw<{ key: string; total: bigint | null; n: bigint }[]>`
    SELECT key, sum(delta) AS total, count(*) AS n FROM labeling_totals WHERE key = ANY(${keys}::text[]) GROUP BY key`;
  const long = rows.filter((r) => Number(r.n) > FOLD_AFTER).map((r) => r.key);
  // Folding is housekeeping: a failure (or a slow one) must not hold the page.
  if (long.length) void fold(long).catch(() => {});
  return new Map(keys.map((k) => [k, Number(rows.find((r) => r.key === k)?.total ?? 0)]));
}

/** Folds every key (the worker's sweep: keys nobody reads, such as an import's reviewer, grow too). */
export function foldAllTotals(): Promise<void> {
  return fold(null);
}

export const TOTAL_TURNS_KEY = 'turns';
export const reviewerTotalKey = (reviewerId: string) => `reviewer:${reviewerId}`;
