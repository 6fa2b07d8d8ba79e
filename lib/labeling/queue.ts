// The work queue: "Start labeling" and `n` hand a reviewer the next conversation that still
// needs them, inside the list view they work in (search + filter + sort), under a lease (see
// ./lease.ts), so no conversation is handed to more reviewers at once than the project's
// reviewers-per-turn setting. Order: conversations with a live turn the advisor deferred or a
// reviewer disputed (lib/advisor/review-priority.ts) first, then the view's own order.
//
// One claim is a short transaction per candidate: lock the first eligible conversation row
// with FOR NO KEY UPDATE SKIP LOCKED (claimers never wait for each other, and never for a
// label write in progress), then check it again in a new statement and write the lease. A
// candidate that turns out to be taken (its lease committed between our snapshot and our
// lock) is left and the next one tried. No session state: works behind PgBouncer.
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { allowedView, viewWhereSql } from '../conversations/list-conversations';
import { labelsBlindFor } from './blind';
import type { ListParams } from '../conversations/list-params';
import { reviewPrioritySql } from '../advisor/review-priority';
import { getLabelingSettings } from './settings';
import { leaseSeconds, takeLockedConversation } from './lease';
import { needsReviewerSql, slotsTakenByOthersSql } from './lease-sql';

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

/** The candidate query of one kind (prioritized or not), locking the row it returns. */
function candidateSql(actor: Actor, view: View, perTurn: number, exclude: number[], prioritized: boolean): Prisma.Sql {
  const order = view.sort === 'oldest' ? Prisma.sql`c.last_activity_at ASC, c.id ASC` : Prisma.sql`c.last_activity_at DESC, c.id DESC`;
  // needsReviewerSql's own test again, with the number written into the SQL: only then can the
  // planner see that the partial index of open conversations (conversations_claim_open_1/2_idx)
  // holds every candidate, and walk it instead of every finished conversation ahead in the order.
  const openAt = Prisma.raw(String(Math.max(1, Math.trunc(perTurn))));
  return Prisma.sql`
    SELECT c.id, ${Prisma.raw(prioritized ? 'true' : 'false')} AS prioritized FROM conversations c
    WHERE NOT c.is_golden AND c.recruiter_turns > 0 AND c.min_turn_labels < ${openAt}
      AND ${viewWhereSql(actor, view)}
      AND ${prioritized ? reviewPrioritySql('c') : Prisma.sql`TRUE`}
      AND c.id <> ALL(${exclude}::int[])
      AND ${needsReviewerSql(actor.id, perTurn)}
      AND ${slotsTakenByOthersSql(actor.id)} < ${perTurn}
    ORDER BY ${order}
    LIMIT 1
    FOR NO KEY UPDATE OF c SKIP LOCKED`;
}

/**
 * Locks the first eligible conversation: a prioritized one (deferred or disputed live turn) if
 * any, else the view's first. One statement for both looks, so a claim costs one round trip
 * here: the second look only runs when the first found nothing (the Append stops at LIMIT 1),
 * and each locks only the row it returns.
 */
async function lockCandidate(
  tx: Prisma.TransactionClient,
  actor: Actor,
  view: View,
  perTurn: number,
  exclude: number[],
): Promise<{ id: number; prioritized: boolean } | null> {
  const rows = await tx.$queryRaw<{ id: number; prioritized: boolean }[]>`
    WITH first AS (${candidateSql(actor, view, perTurn, exclude, true)}),
         rest AS (${candidateSql(actor, view, perTurn, exclude, false)})
    SELECT id, prioritized FROM first
    UNION ALL
    (SELECT id, prioritized FROM rest WHERE NOT EXISTS (SELECT 1 FROM first))
    LIMIT 1`;
  return rows[0] ?? null;
}

async function claimOnce(actor: Actor, view: View, perTurn: number, ttlSeconds: number, exclude: number[]): Promise<Claim | null> {
  const tried: number[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const outcome = await db().$transaction(async (tx) => {
      const found = await lockCandidate(tx, actor, view, perTurn, [...exclude, ...tried]);
      if (found === null) return { done: true as const, claim: null };
      const { id, prioritized } = found;
      // Also drops the reviewer's other leases (the conversation being left among them).
      const taken = await takeLockedConversation(tx, actor.id, id, { perTurn, ttlSeconds, releaseOthers: true });
      if (!taken.expiresAt) return { done: false as const, id };
      return { done: true as const, claim: { conversationId: id, expiresAt: taken.expiresAt.toISOString(), prioritized } };
    });
    if (outcome.done) return outcome.claim;
    tried.push(outcome.id);
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
