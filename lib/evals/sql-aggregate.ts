// A transaction for the eval aggregates over a run's predictions (summarize-run.ts,
// paired-discordance.ts): big scans reduced to a few hundred groups, or one row per conversation.
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';

/** A 1M-prediction aggregate takes seconds on a busy machine; Prisma's default is 5 s. */
const TIMEOUT_MS = 120_000;

/**
 * Runs `query` in a transaction that lets PostgreSQL hash its groups and sort in memory. Grouping
 * keys computed from `confidence` (a column with ~one distinct value per row) make the planner
 * expect ~a group per row and sort 1M rows to disk, ten times slower than the hash aggregate over
 * the few hundred groups there are. SET LOCAL ends with the transaction, so nothing leaks into a
 * pooled connection (safe behind a transaction-pooling PgBouncer). `hashGroups: false` keeps
 * sorting on (a join that merges two runs' primary-key scans wants it) and only raises work_mem.
 */
export function aggregating<T>(query: (tx: Prisma.TransactionClient) => Promise<T>, opts: { hashGroups?: boolean } = {}): Promise<T> {
  return db().$transaction(
    async (tx) => {
      if (opts.hashGroups !== false) await tx.$executeRawUnsafe(`SET LOCAL enable_sort = off`);
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
      return query(tx);
    },
    { timeout: TIMEOUT_MS, maxWait: TIMEOUT_MS },
  );
}
