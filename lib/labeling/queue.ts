// The work queue: "Start labeling" and `n` hand a reviewer the next conversation that still
// needs them, inside the list view they work in (search + filter + sort), under a lease (see
// ./lease.ts), so no conversation is handed to more reviewers at once than the project's
// reviewers-per-turn setting. Order: conversations with a live turn the advisor deferred or a
// reviewer disputed (lib/advisor/review-priority.ts) first, then the view's own order.
//
// One claim is one statement per candidate, committed on its own: lock the first eligible
// conversation row with FOR NO KEY UPDATE SKIP LOCKED (claimers never wait for each other, and
// never for a label write in progress), then check it again with a fresh snapshot and write the
// lease, inside work_queue_take() (./lease.ts). A candidate that turns out to be taken (its
// lease committed between our snapshot and our lock) is left and the next one tried. No
// session state: works behind PgBouncer. With the settings read, a claim is two round trips.
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { allowedView, viewWhereSql } from '../conversations/list-conversations';
import { labelsBlindFor } from './blind';
import type { ListParams } from '../conversations/list-params';
import { reviewPriorityCandidatesSql, reviewPriorityOfSql } from '../advisor/review-priority';
import { getLabelingSettings } from './settings';
import { leaseSeconds, takeSql } from './lease';
import { fullyHeldByOthersSql, needsReviewerSql, slotsTakenByOthersSql } from './lease-sql';

/** Conversations a reviewer left unfinished in this session, so `n` moves on instead of coming back (bounded). */
export const MAX_EXCLUDED = 200;
const MAX_ATTEMPTS = 8;

export const claimInput = z.object({
  /** The conversation being left (its lease is released; it is not handed out again at once). */
  currentId: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .nullable(),
  exclude: z
    .array(
      z
        .number()
        .int()
        .positive()
        .max(2 ** 31 - 1),
    )
    .max(MAX_EXCLUDED)
    .default([]),
});

export interface Claim {
  conversationId: number;
  expiresAt: string;
  /** Handed out first: the advisor deferred on one of its live turns, or a reviewer disputed one. */
  prioritized: boolean;
}

export interface ClaimOptions {
  /** Lease length; LABELING_LEASE_SECONDS by default. */
  ttlSeconds?: number;
}

type View = Pick<ListParams, 'q' | 'filter' | 'sort'>;

/**
 * The candidate query of one kind (prioritized or not), locking the row it returns. The
 * per-row tests (the slot count, then whether the actor is needed: database functions, see
 * ./lease-sql.ts) run in the view's order and stop at the first row that passes.
 */
function candidateSql(actor: Actor, view: View, perTurn: number, exclude: number[], prioritized: boolean): Prisma.Sql {
  const dir = Prisma.raw(view.sort === 'oldest' ? 'ASC' : 'DESC');
  // The counter test again, with the number written into the SQL: only then can the planner see
  // that the partial index of open conversations (conversations_claim_open_1/2_idx) holds every
  // candidate, and walk it instead of every finished conversation ahead in the order.
  const openAt = Prisma.raw(String(Math.max(1, Math.trunc(perTurn))));
  const cheap = Prisma.sql`NOT c.is_golden AND c.recruiter_turns > 0 AND c.min_turn_labels < ${openAt}
      AND ${viewWhereSql(actor, view)} AND c.id <> ALL(${exclude}::int[]) AND c.id <> ALL(${fullyHeldByOthersSql(actor.id, perTurn)})`;
  if (!prioritized) {
    return Prisma.sql`
      SELECT c.id, false AS prioritized FROM conversations c
      WHERE ${cheap} AND ${slotsTakenByOthersSql(actor.id)} < ${perTurn} AND ${needsReviewerSql(actor.id, perTurn)}
      ORDER BY c.last_activity_at ${dir}, c.id ${dir}
      LIMIT 1
      FOR NO KEY UPDATE OF c SKIP LOCKED`;
  }
  // The prioritized candidates are fetched by key (reviewPriorityCandidatesSql, a superset
  // read off the decision log), so they come unordered: sorted first behind a fence (OFFSET 0),
  // then tested in order — the exact priority test (reviewPriorityOfSql), the slots, the
  // per-turn look — stopping at the first that passes. Tested before the sort, every
  // prioritized conversation paid them (2,000 of them at 1M conversations).
  return Prisma.sql`
    SELECT q.id, true AS prioritized
    FROM (SELECT c.id, c.last_activity_at FROM conversations c WHERE ${cheap} AND ${reviewPriorityCandidatesSql('c')}
          ORDER BY c.last_activity_at ${dir}, c.id ${dir} OFFSET 0) o
    JOIN conversations q ON q.id = o.id
    WHERE ${reviewPriorityOfSql('q')} AND ${slotsTakenByOthersSql(actor.id, 'q')} < ${perTurn} AND ${needsReviewerSql(actor.id, perTurn, 'q')}
    ORDER BY o.last_activity_at ${dir}, o.id ${dir}
    LIMIT 1
    FOR NO KEY UPDATE OF q SKIP LOCKED`;
}

interface ClaimRow {
  id: number;
  prioritized: boolean;
  expires_at: Date | null;
}

/**
 * The statement of one attempt (exported for the benchmark's plans): one statement (committed on its own, one round trip): lock the first eligible
 * conversation — a prioritized one (deferred or disputed live turn) if any, else the view's
 * first; the second look only runs when the first found nothing (the Append stops at LIMIT 1)
 * — then work_queue_take() checks it again with a fresh snapshot and writes the lease, dropping
 * the actor's other leases (the conversation being left among them). No row: nothing eligible.
 * A row without expires_at: it was taken between our snapshot and our lock.
 */
export function claimSql(actor: Actor, view: View, perTurn: number, ttlSeconds: number, exclude: number[]): Prisma.Sql {
  return Prisma.sql`
    WITH first AS (${candidateSql(actor, view, perTurn, exclude, true)}),
         rest AS (${candidateSql(actor, view, perTurn, exclude, false)}),
         pick AS MATERIALIZED (
           SELECT id, prioritized FROM first
           UNION ALL
           (SELECT id, prioritized FROM rest WHERE NOT EXISTS (SELECT 1 FROM first))
           LIMIT 1)
    SELECT p.id, p.prioritized, t.expires_at
    FROM pick p CROSS JOIN LATERAL ${takeSql(Prisma.sql`p.id`, actor.id, { perTurn, ttlSeconds, releaseOthers: true })} t`;
}

async function claimAttempt(actor: Actor, view: View, perTurn: number, ttlSeconds: number, exclude: number[]): Promise<ClaimRow | null> {
  const rows = await db().$queryRaw<ClaimRow[]>(claimSql(actor, view, perTurn, ttlSeconds, exclude));
  return rows[0] ?? null;
}

async function claimOnce(actor: Actor, view: View, perTurn: number, ttlSeconds: number, exclude: number[]): Promise<Claim | null> {
  const tried: number[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await claimAttempt(actor, view, perTurn, ttlSeconds, [...exclude, ...tried]);
    if (found === null) return null;
    if (found.expires_at) return { conversationId: found.id, expiresAt: found.expires_at.toISOString(), prioritized: found.prioritized };
    tried.push(found.id);
  }
  return null;
}

/**
 * Hands the actor the next conversation of the view that still needs them and takes its
 * lease; releases the lease on the conversation being left. null: nothing in the view needs
 * the actor (or every such conversation is held by others right now).
 */
export async function claimNextConversation(
  actor: Actor,
  requestedView: View,
  raw: z.input<typeof claimInput>,
  opts: ClaimOptions = {},
): Promise<Claim | null> {
  const { currentId, exclude } = claimInput.parse(raw);
  const settings = await getLabelingSettings();
  const { reviewersPerTurn } = settings;
  const ttlSeconds = opts.ttlSeconds ?? leaseSeconds();
  const view = allowedView(requestedView, labelsBlindFor(actor, settings));
  const skip = currentId ? [currentId, ...exclude] : exclude;
  const claim =
    (await claimOnce(actor, view, reviewersPerTurn, ttlSeconds, skip)) ??
    // Everything left was skipped earlier in this session: start over (never the current one).
    (exclude.length ? await claimOnce(actor, view, reviewersPerTurn, ttlSeconds, currentId ? [currentId] : []) : null);
  // A claim has dropped the actor's other leases in its own transaction (releaseOthers), the
  // one being left included; only when nothing was handed out is that lease still to drop.
  if (currentId && !claim) {
    await db().$executeRaw`DELETE FROM labeling_leases WHERE conversation_id = ${currentId} AND reviewer_id = ${actor.id}`;
  }
  return claim;
}
