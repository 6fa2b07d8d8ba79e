// Live conversations into the Studio: drains live_conversation_inbox through the importer's
// merge (the same validation and merge code as `npm run import`), marking them live. One
// merger at a time across every process (an advisory lock), oldest first, so a conversation
// never goes back to an older state; a batch and its inbox rows commit together, so a crash
// merges it again later and loses nothing. The worker sweeps every second; web processes leave
// it to the worker (a merge of a few hundred conversations would hold up the answers queued
// behind it in the same event loop) unless ADVISOR_MERGE=web, for a Studio run without one.
import { importConversationsInTransaction } from '../imports/import-conversations';
import { advisorPool } from './pool';

const LOCK_KEY = 7_340_011; // pg_advisory_xact_lock key of the live merge
const BATCH = 2_000;
/** The import account that owns nothing (labels in live traffic are ignored). */
export const LIVE_SOURCE = 'advisor-api';

export interface IngestResult {
  merged: number;
  busy: boolean;
}

/** Merges one batch (at most BATCH inbox rows); `busy` when another process holds the merge. */
export async function ingestLiveBatch(): Promise<IngestResult> {
  const client = await advisorPool().connect();
  try {
    await client.query('BEGIN');
    const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [LOCK_KEY]);
    if (!lock[0].ok) {
      await client.query('ROLLBACK');
      return { merged: 0, busy: true };
    }
    const { rows } = await client.query<{ id: string; decision_id: string; external_id: string; payload: unknown }>(
      'SELECT id, decision_id, external_id, payload FROM live_conversation_inbox ORDER BY id LIMIT $1',
      [BATCH],
    );
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return { merged: 0, busy: false };
    }
    // The newest state of each conversation in the batch; golden ones are never touched (the
    // API refuses them, this keeps a race with a golden import from blocking the inbox).
    const latest = new Map<string, unknown>();
    for (const r of rows) latest.set(r.external_id, r.payload);
    const { rows: golden } = await client.query<{ external_id: string }>('SELECT external_id FROM conversations WHERE is_golden AND external_id = ANY($1)', [
      [...latest.keys()],
    ]);
    for (const g of golden) latest.delete(g.external_id);
    if (latest.size) await importConversationsInTransaction(client, [...latest.values()], LIVE_SOURCE, { live: true });
    const decisionIds = rows.map((r) => r.decision_id);
    await client.query(
      `UPDATE advisor_decisions d SET conversation_id = c.id FROM conversations c
       WHERE d.id = ANY($1::bigint[]) AND c.external_id = d.external_id AND d.conversation_id IS DISTINCT FROM c.id`,
      [decisionIds],
    );
    await client.query('DELETE FROM live_conversation_inbox WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    await client.query('COMMIT');
    return { merged: rows.length, busy: false };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Merges until the inbox is empty (or another process is merging). */
export async function drainLiveInbox(): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await ingestLiveBatch();
    total += r.merged;
    if (r.busy || r.merged === 0) return total;
  }
}

// In a web process: one drain at a time, a few seconds after a decision, so a burst of
// decisions is merged in a few large batches (the merge is set-based: a batch of 2,000 costs
// little more than a batch of 20) instead of competing with the answers it follows.
let running: Promise<void> | null = null;
let again = false;
/** ADVISOR_MERGE_DELAY_MS, default 3000 (read per kick, so tests can shorten it). */
function kickDelayMs(): number {
  const n = Number(process.env.ADVISOR_MERGE_DELAY_MS);
  return process.env.ADVISOR_MERGE_DELAY_MS && Number.isFinite(n) && n >= 0 ? n : 3_000;
}

export function kickLiveIngest(): void {
  if (process.env.ADVISOR_MERGE !== 'web') return;
  if (running) {
    again = true;
    return;
  }
  running = (async () => {
    do {
      again = false;
      await new Promise((r) => setTimeout(r, kickDelayMs()));
      try {
        await drainLiveInbox();
      } catch (e) {
        // The rows stay in the inbox; the next kick or the worker's sweep merges them.
        console.error('[advisor] merging live conversations failed; will retry', e);
      }
    } while (again);
  })().finally(() => {
    running = null;
    if (again) kickLiveIngest();
  });
}

/** The worker's sweep: every `everyMs`, merge what is waiting. Returns a stop function. */
export function startLiveIngestSweep(log: (line: string) => void, everyMs = 1_000): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const n = await drainLiveInbox();
      if (n) log(`merged ${n} live conversation update${n === 1 ? '' : 's'}`);
    } catch (e) {
      log(`merging live conversations failed (will retry): ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Waits until nothing is waiting or being merged in this process (tests, the benchmark). */
export async function settleLiveIngest(): Promise<void> {
  while (running) await running;
  await drainLiveInbox();
}
