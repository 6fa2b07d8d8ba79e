// Live conversations into the Studio: drains live_conversation_inbox into conversations, marking
// them live. One merger at a time across every process (an advisory lock), oldest first, so a
// conversation never goes back to an older state; a batch and its inbox rows commit together,
// so a crash merges it again later and loses nothing. The worker sweeps every second; web
// processes leave it to the worker (a merge would hold up the answers queued behind it in the
// same event loop) unless ADVISOR_MERGE=web, for a Studio run without one.
//
// Why it is cheap: it runs beside the decision API on the same cores, and every millisecond it
// burns shows in the answers' p95. So only the newest payload per conversation is looked at
// (coalesced in SQL: older ones never leave the database), and each is classified in one
// statement against what is stored:
// - unchanged (a chatbot asking twice about one turn): nothing to write;
// - grown (the stored messages are a prefix and nothing else differs: the usual live update):
//   the new messages are appended set-based and the conversation's search document and turn
//   count brought up to date from the appended messages alone (the work per batch does not grow
//   with the conversations' length, but for the one pass over the stored messages that proves
//   them a prefix), under the import lock and the rows' locks in the lock order — the rows the
//   importer would leave, without its staging tables;
// - new: inserted with its messages, search document and counters in one statement, as the
//   importer inserts a conversation without labels;
// - changed in any other way (an edited message, a renamed candidate, fewer messages): the
//   importer's own merge (importConversationsInTransaction), as before.
// live-ingest.test.ts checks that the result is the importer's to the row.
import { importConversationsInTransaction, importReviewerEmail } from '../imports/import-conversations';
import { appendedSearchSql, searchDocumentSql } from '../conversations/search-query';
import { IMPORT_LOCK_SQL, LOCK_CONVERSATIONS_SQL } from '../labeling/lock-order';
import pg from 'pg';
import { advisorPool } from './pool';
import { liveMergeNice, lowerBackendPriority } from './merge-priority';

/** pg_advisory_xact_lock key of the live merge (the benchmark holds it to measure without a merge). */
export const LIVE_MERGE_LOCK_KEY = 7_340_011;
const BATCH = 2_000;
/** The import account that owns nothing (labels in live traffic are ignored). */
export const LIVE_SOURCE = 'advisor-api';

export interface IngestResult {
  merged: number;
  busy: boolean;
  /** Conversations by how they were merged (after coalescing). */
  kinds?: Record<MergeKind, number>;
}

type MergeKind = 'new' | 'same' | 'append' | 'import' | 'golden';

// The sent_at of a stored message exactly as decision-log.ts stores a payload's (toISOString).
const STORED_SENT_AT = `to_char(m.sent_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// $1: the batch's inbox ids; $2: the live import account's user id (null before its first import).
// The newest payload per external_id, and how it differs from the stored conversation. The
// payload's messages are taken out of it once (each use of a stored jsonb column decompresses it
// again, per message compared), and the stored messages are read in one pass that also counts
// what a grown conversation's row needs from them (stored, recruiter_turns, last_sent), so
// nothing later reads them again.
const CLASSIFY_SQL = `
  WITH latest AS (
    SELECT DISTINCT ON (external_id) external_id, payload->'messages' AS msgs, payload->>'candidate_name' AS candidate_name,
           payload->>'job_title' AS job_title
    FROM live_conversation_inbox WHERE id = ANY($1::bigint[]) ORDER BY external_id, id DESC
  )
  SELECT l.external_id, c.id AS conversation_id, s.stored::int, s.recruiter_turns::int, s.last_sent::text,
    CASE
      WHEN c.id IS NULL THEN 'new'
      WHEN c.is_golden THEN 'golden'
      WHEN c.candidate_name IS DISTINCT FROM l.candidate_name OR c.job_title IS DISTINCT FROM l.job_title THEN 'import'
      WHEN EXISTS (SELECT 1 FROM labels x WHERE x.conversation_id = c.id AND x.reviewer_id = $2) THEN 'import'
      WHEN s.differs THEN 'import'
      WHEN s.stored = jsonb_array_length(l.msgs) THEN 'same'
      ELSE 'append'
    END AS kind
  FROM latest l LEFT JOIN conversations c ON c.external_id = l.external_id
  LEFT JOIN LATERAL (
    SELECT count(*) AS stored, count(*) FILTER (WHERE m.sender = 'recruiter' AND m.position > 0) AS recruiter_turns,
           max(m.sent_at) AS last_sent,
           coalesce(bool_or(m.position >= jsonb_array_length(l.msgs)
                            OR (m.sender::text, m.text, ${STORED_SENT_AT}) IS DISTINCT FROM
                               (l.msgs->m.position->>'sender', l.msgs->m.position->>'text', l.msgs->m.position->>'sent_at')), false) AS differs
    FROM messages m WHERE m.conversation_id = c.id
  ) s ON c.id IS NOT NULL`;

// $1: the conversations to grow, $2: how many messages each has stored, $3: the batch's inbox
// ids. Appends the payload's messages past the stored ones (the classification proved the
// stored ones are its prefix).
const APPEND_SQL = `
  WITH latest AS (
    SELECT DISTINCT ON (i.external_id) g.id AS conversation_id, g.stored, i.payload->'messages' AS msgs
    FROM unnest($1::int[], $2::int[]) AS g(id, stored)
    JOIN conversations c ON c.id = g.id JOIN live_conversation_inbox i ON i.external_id = c.external_id
    WHERE i.id = ANY($3::bigint[])
    ORDER BY i.external_id, i.id DESC
  )
  INSERT INTO messages (conversation_id, position, sender, text, sent_at)
  SELECT l.conversation_id, (e.ord - 1)::int, (e.msg->>'sender')::"Sender", e.msg->>'text',
         date_trunc('milliseconds', (e.msg->>'sent_at')::timestamptz AT TIME ZONE 'UTC')
  FROM latest l CROSS JOIN LATERAL jsonb_array_elements(l.msgs) WITH ORDINALITY AS e(msg, ord)
  WHERE e.ord - 1 >= l.stored
  ORDER BY l.conversation_id, e.ord`;

// $1-$4: the grown conversations and, for each, its stored messages before the append: how
// many, its recruiter turns and the latest sent_at (from the classification). Their search
// document, last activity and recruiter-turn count as lib/conversations/stats.ts computes them
// (REFRESH_CONTENT, REFRESH_COUNTERS) over all messages, but from the appended ones alone: the
// document grows by the appended text (appendedSearchSql), rebuilt from the whole text only
// where that could differ; and the live mark. One row version instead of three (each is a
// non-HOT update that touches every index of conversations). Appending messages adds and
// removes no label, so the label counters and the reviewers' progress stay as they are.
const GROWN_SQL = `
  UPDATE conversations c SET
    search = coalesce(
      ${appendedSearchSql('c.search', 'a.body')},
      (SELECT ${searchDocumentSql('c.candidate_name', 'c.job_title', "string_agg(m.text, ' ' ORDER BY m.position)")}
       FROM messages m WHERE m.conversation_id = c.id)),
    last_activity_at = coalesce(greatest(a.stored_last, a.last_sent), c.last_activity_at),
    recruiter_turns = a.stored_recruiter_turns + a.recruiter_turns,
    is_live = true
  FROM (
    SELECT g.id, g.stored_recruiter_turns, g.stored_last::timestamp(3) AS stored_last,
           string_agg(m.text, ' ' ORDER BY m.position) AS body, max(m.sent_at) AS last_sent,
           count(*) FILTER (WHERE m.sender = 'recruiter' AND m.position > 0) AS recruiter_turns
    FROM unnest($1::int[], $2::int[], $3::int[], $4::text[]) AS g(id, stored, stored_recruiter_turns, stored_last)
    JOIN messages m ON m.conversation_id = g.id AND m.position >= g.stored
    GROUP BY g.id, g.stored_recruiter_turns, g.stored_last
  ) a
  WHERE c.id = a.id`;

// $1: the new conversations' external_ids, $2: the batch's inbox ids. Inserts them with their
// messages, search document and counters as the importer's INSERT_NEW_CONVERSATIONS does for a
// conversation without labels (live traffic carries none), marked live.
const NEW_SQL = `
  WITH latest AS (
    SELECT DISTINCT ON (external_id) id, external_id, payload FROM live_conversation_inbox
    WHERE id = ANY($2::bigint[]) AND external_id = ANY($1::text[]) ORDER BY external_id, id DESC
  ), msgs AS (
    SELECT l.external_id, (e.ord - 1)::int AS position, (e.msg->>'sender')::"Sender" AS sender, e.msg->>'text' AS text,
           date_trunc('milliseconds', (e.msg->>'sent_at')::timestamptz AT TIME ZONE 'UTC') AS sent_at
    FROM latest l CROSS JOIN LATERAL jsonb_array_elements(l.payload->'messages') WITH ORDINALITY AS e(msg, ord)
  ), agg AS (
    SELECT external_id, max(sent_at) AS last_sent, string_agg(text, ' ' ORDER BY position) AS body,
           count(*) FILTER (WHERE sender = 'recruiter' AND position > 0) AS recruiter_turns
    FROM msgs GROUP BY external_id
  ), ins AS (
    INSERT INTO conversations (external_id, candidate_name, job_title, last_activity_at, updated_at, search,
                               recruiter_turns, labeled_turns, end_turns, schedule_turns, reviewer_count, is_live)
    SELECT l.external_id, l.payload->>'candidate_name', l.payload->>'job_title', coalesce(a.last_sent, now()), now(),
           ${searchDocumentSql("l.payload->>'candidate_name'", "l.payload->>'job_title'", 'a.body')},
           a.recruiter_turns, 0, 0, 0, 0, true
    FROM latest l JOIN agg a ON a.external_id = l.external_id
    ORDER BY l.id
    RETURNING id, external_id
  )
  INSERT INTO messages (conversation_id, position, sender, text, sent_at)
  SELECT ins.id, m.position, m.sender, m.text, m.sent_at FROM msgs m JOIN ins ON ins.external_id = m.external_id
  ORDER BY ins.id, m.position`;

/**
 * Merges one batch (at most BATCH inbox rows); `busy` when another process holds the merge. On
 * `opts.client` if given (the worker's own merge connection), else on a pooled one.
 */
export async function ingestLiveBatch(opts: { importerOnly?: boolean; client?: pg.ClientBase } = {}): Promise<IngestResult> {
  const pooled = opts.client ? null : await advisorPool().connect();
  const client = opts.client ?? pooled!;
  try {
    await client.query('BEGIN');
    const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [LIVE_MERGE_LOCK_KEY]);
    if (!lock[0].ok) {
      await client.query('ROLLBACK');
      return { merged: 0, busy: true };
    }
    // The merge can always be redone: if a crash loses this commit, it loses the inbox rows'
    // deletion with it, and the next sweep merges them again. So it need not wait for the
    // disk, and the decisions' own commits do not queue behind its WAL flush.
    await client.query('SET LOCAL synchronous_commit = off');
    const { rows: batch } = await client.query<{ id: string }>('SELECT id FROM live_conversation_inbox ORDER BY id LIMIT $1', [BATCH]);
    if (batch.length === 0) {
      await client.query('ROLLBACK');
      return { merged: 0, busy: false };
    }
    const ids = batch.map((r) => r.id);
    // Lock order, step 0 (lib/labeling/lock-order.ts): only imports write messages and
    // conversation fields, so under this lock what the classification reads stays true.
    await client.query(IMPORT_LOCK_SQL);
    const reviewer = await client.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [importReviewerEmail(LIVE_SOURCE)]);
    const { rows: classified } = await client.query<{
      external_id: string;
      conversation_id: number | null;
      kind: MergeKind;
      stored: number | null;
      recruiter_turns: number | null;
      last_sent: string | null;
    }>(CLASSIFY_SQL, [ids, reviewer.rows[0]?.id ?? null]);
    const kinds: Record<MergeKind, number> = { new: 0, same: 0, append: 0, import: 0, golden: 0 };
    // importerOnly: everything but golden through the importer, as before the fast paths (the
    // baseline of lib/bench/live-merge.ts).
    if (opts.importerOnly) for (const c of classified) if (c.kind !== 'golden') c.kind = 'import';
    for (const c of classified) kinds[c.kind] += 1;

    const grown = classified.filter((c) => c.kind === 'append');
    if (grown.length) {
      const grownIds = grown.map((c) => c.conversation_id!);
      const stored = grown.map((c) => c.stored!);
      // Step 1: the rows of every conversation written, in id order, before the first write.
      await client.query(LOCK_CONVERSATIONS_SQL, [grownIds]);
      await client.query(APPEND_SQL, [grownIds, stored, ids]);
      await client.query(GROWN_SQL, [grownIds, stored, grown.map((c) => c.recruiter_turns!), grown.map((c) => c.last_sent)]);
    }
    const fresh = classified.filter((c) => c.kind === 'new').map((c) => c.external_id);
    if (fresh.length) await client.query(NEW_SQL, [fresh, ids]);
    // Golden ones are never touched (the API refuses them; this keeps a race with a golden
    // import from blocking the inbox). Everything else that is not a plain append: the importer.
    const toImport = classified.filter((c) => c.kind === 'import').map((c) => c.external_id);
    if (toImport.length) {
      const { rows: payloads } = await client.query<{ payload: unknown }>(
        `SELECT DISTINCT ON (external_id) payload FROM live_conversation_inbox WHERE id = ANY($1::bigint[]) AND external_id = ANY($2::text[])
         ORDER BY external_id, id DESC`,
        [ids, toImport],
      );
      await importConversationsInTransaction(
        client,
        payloads.map((p) => p.payload),
        LIVE_SOURCE,
        { live: true },
      );
    }
    await client.query(
      `UPDATE advisor_decisions d SET conversation_id = c.id
       FROM live_conversation_inbox i JOIN conversations c ON c.external_id = i.external_id
       WHERE i.id = ANY($1::bigint[]) AND d.id = i.decision_id AND d.conversation_id IS DISTINCT FROM c.id`,
      [ids],
    );
    await client.query('DELETE FROM live_conversation_inbox WHERE id = ANY($1::bigint[])', [ids]);
    await client.query('COMMIT');
    return { merged: ids.length, busy: false, kinds };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    pooled?.release();
  }
}

/** Merges until the inbox is empty (or another process is merging). */
export async function drainLiveInbox(client?: pg.ClientBase): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await ingestLiveBatch({ client });
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

// The worker's merge connection: its own, so that its backend can run at a lower OS priority
// than the ones serving the answers (merge-priority.ts) without slowing any other work.
/** A connection for the merge, its backend at `nice` where that is clean; `priority` says what was done. */
export async function openMergeConnection(nice = liveMergeNice()): Promise<{ client: pg.Client; priority: string }> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'studio live merge' });
  // A dropped connection must not crash the worker: the sweep notices the failed query and reconnects.
  client.on('error', () => {});
  await client.connect();
  try {
    return { client, priority: await lowerBackendPriority(client, nice) };
  } catch (e) {
    return { client, priority: `live merge at normal priority: ${(e as Error).message}` };
  }
}

/** The worker's sweep: every `everyMs`, merge what is waiting. Returns a stop function. */
export function startLiveIngestSweep(log: (line: string) => void, everyMs = 1_000): () => void {
  let busy = false;
  let client: pg.Client | null = null;
  const said: { priority?: string } = {};
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      if (!client) {
        const opened = await openMergeConnection();
        client = opened.client;
        if (opened.priority !== said.priority) log(opened.priority);
        said.priority = opened.priority;
      }
      const n = await drainLiveInbox(client);
      if (n) log(`merged ${n} live conversation update${n === 1 ? '' : 's'}`);
    } catch (e) {
      log(`merging live conversations failed (will retry): ${(e as Error).message}`);
      // The next sweep starts on a fresh connection (this one may be broken).
      void client?.end().catch(() => {});
      client = null;
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    void client?.end().catch(() => {});
  };
}

/** Waits until nothing is waiting or being merged in this process (tests, the benchmark). */
export async function settleLiveIngest(): Promise<void> {
  while (running) await running;
  await drainLiveInbox();
}
