// Asking for suggestions. A request is a row in suggestion_requests, written in the same
// transaction as whatever made the conversation need one — an import or live merge, a backfill
// for a new suggester — so it can neither be lost nor point at something that was rolled back.
// The worker's suggestions job (compute.ts) works through the rows; the pg-boss job only wakes
// it (the worker's sweep sends one whenever rows are waiting).
import type pg from 'pg';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { enqueue, QUEUES } from '../jobs/queue';
import { currentSuggester, type Suggester } from './suggester';

export const SUGGESTIONS_QUEUE = QUEUES.suggestions;

/**
 * Inside an import's (or live merge's) open transaction, after its merge wrote (lib/imports
 * import-conversations.ts): drops the suggestions a changed message made stale — every turn at
 * or after it, since a turn's prompt is the thread before it and its own time — and asks for
 * suggestions on every new or changed conversation. Reads the merge's temp tables (conv_map,
 * touched, and stale when existing conversations were diffed); the changed conversations are
 * already locked by the merge.
 */
export async function requestSuggestionsForMerge(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ stale: string | null }>(`SELECT to_regclass('pg_temp.stale')::text AS stale`);
  if (rows[0].stale) {
    await client.query(`
      DELETE FROM turn_suggestions ts
      USING (SELECT s.conversation_id, min(m.position) AS from_position FROM stale s JOIN messages m ON m.id = s.id GROUP BY s.conversation_id) ch, messages m
      WHERE ts.conversation_id = ch.conversation_id AND m.id = ts.message_id AND m.position >= ch.from_position`);
  }
  // clock_timestamp(), not now(): a request made again while a worker holds the old one must
  // differ from it, however long this transaction has been open.
  await client.query(`
    INSERT INTO suggestion_requests (conversation_id, requested_at)
    SELECT c.id, clock_timestamp() FROM conversations c
    WHERE c.id IN (SELECT id FROM conv_map WHERE is_new UNION SELECT id FROM touched) AND NOT c.is_golden
    ORDER BY c.id
    ON CONFLICT (conversation_id) DO UPDATE SET requested_at = EXCLUDED.requested_at`);
}

export interface BackfillRequest {
  suggester: string;
  model: string;
  /** Conversations queued (those with a decision turn nobody has labeled). */
  requested: number;
  /** False when this suggester's backfill had been requested before (and `force` was not given). */
  created: boolean;
}

/**
 * Queues every conversation with an unlabeled decision turn for `suggester`, once per suggester
 * (suggestion_backfills.suggester is unique, so two workers noticing the same promotion queue it
 * once). `force` queues again (the CLI). A conversation already waiting gets a new request
 * time, so a worker that started it under the previous suggester does not count it done.
 */
export async function requestBackfill(suggester: Suggester, opts: { force?: boolean } = {}): Promise<BackfillRequest> {
  return db().$transaction(
    async (tx) => {
      const inserted = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO suggestion_backfills (suggester, model, requested) VALUES (${suggester.key}, ${suggester.model}, 0)
        ON CONFLICT (suggester) DO NOTHING RETURNING id`;
      if (inserted.length === 0 && !opts.force) return { suggester: suggester.key, model: suggester.model, requested: 0, created: false };
      const requested = await tx.$executeRaw`
        INSERT INTO suggestion_requests (conversation_id, requested_at)
        SELECT c.id, clock_timestamp() FROM conversations c
        WHERE NOT c.is_golden AND c.labeled_turns < c.recruiter_turns
        ORDER BY c.id
        ON CONFLICT (conversation_id) DO UPDATE SET requested_at = EXCLUDED.requested_at`;
      await tx.$executeRaw`UPDATE suggestion_backfills SET requested = requested + ${requested} WHERE suggester = ${suggester.key}`;
      return { suggester: suggester.key, model: suggester.model, requested, created: inserted.length > 0 };
    },
    { maxWait: 15_000, timeout: 120_000 },
  );
}

/** The worker's check: a suggester without a backfill yet (a new promotion or rollback, or a first fine-tune) gets one. */
export async function backfillIfSuggesterChanged(): Promise<BackfillRequest | null> {
  const suggester = await currentSuggester();
  if (!suggester) return null;
  const seen = await db().suggestionBackfill.findUnique({ where: { suggester: suggester.key }, select: { id: true } });
  if (seen) return null;
  const r = await requestBackfill(suggester);
  return r.created ? r : null;
}

/** `npm run suggestions -- backfill`: queue every unlabeled decision turn for the current suggester again (ML lead or admin). */
export async function backfillSuggestions(actor: Actor): Promise<BackfillRequest | null> {
  assertRole(actor, 'ml_lead', 'admin');
  const suggester = await currentSuggester();
  if (!suggester) return null;
  return requestBackfill(suggester, { force: true });
}

/** Requests waiting (claimed or not). */
export async function pendingRequests(): Promise<number> {
  return db().suggestionRequest.count();
}

/** Wakes the suggestions job; copies collapse into one waiting job (the queue is stately). */
export function enqueueSuggestionsJob(reason: 'sweep' | 'continue' | 'backfill'): Promise<string | null> {
  return enqueue(QUEUES.suggestions, { reason }, { singletonKey: 'suggestions' });
}
