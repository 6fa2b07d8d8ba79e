// Leases: who is working on which conversation right now. A lease is a row in
// labeling_leases that runs out at expires_at; the conversation page renews it while the
// reviewer is active and drops it when they leave. Taking a lease is race-free without any
// session state (safe behind PgBouncer in transaction mode): the conversation row is locked
// (FOR NO KEY UPDATE, held to the end of the transaction), then a NEW statement — which sees
// every lease committed before the lock was granted — checks the slots and writes the lease.
// Two reviewers taking the same conversation are thereby serialised, and the second sees the
// first's lease. Labels never depend on a lease (lib/labeling/label-turn.ts does not look).
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import { assertRole, type Actor } from '../auth/session';
import { getLabelingSettings } from './settings';
import { needsReviewerSql, slotsTakenByOthersSql } from './lease-sql';

/** LABELING_LEASE_SECONDS (10…3600), default 600: how long a lease lasts without renewal. */
export function leaseSeconds(): number {
  const n = Number(process.env.LABELING_LEASE_SECONDS);
  return Number.isInteger(n) && n >= 10 && n <= 3600 ? n : 600;
}

export interface LeaseHolder {
  name: string;
  expiresAt: string;
}

export interface LeaseState {
  conversationId: number;
  /** The actor holds a live lease on it now. */
  held: boolean;
  expiresAt: string | null;
  /** Why not held: every slot is taken by others, or nothing here needs the actor. */
  reason: 'held' | 'taken' | 'not_needed';
  /** Others holding live leases on it. */
  others: LeaseHolder[];
}

export interface TakeOptions {
  perTurn: number;
  ttlSeconds: number;
  /** A claim from the queue drops the reviewer's other leases ("next" leaves the last one). */
  releaseOthers: boolean;
}

/**
 * Inside a transaction that has just locked conversation `conversationId`: takes (or renews)
 * the actor's lease when the conversation still needs them and a slot is free.
 */
export async function takeLockedConversation(
  tx: Prisma.TransactionClient,
  actorId: string,
  conversationId: number,
  opts: TakeOptions,
): Promise<{ needs: boolean; taken: number; expiresAt: Date | null }> {
  // A lease is coordination, not data: after a database crash every reviewer's page takes its
  // lease again within a heartbeat. So its transaction commits asynchronously (set here, in
  // the statement itself, to cost no extra round trip; transaction-scoped, so PgBouncer-safe)
  // and a claim does not wait for a WAL flush. Labels keep their synchronous commit.
  const rows = await tx.$queryRaw<{ needs: boolean; taken: number; expires_at: Date | null }[]>`
    WITH async_commit AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true)),
    verdict AS (
      SELECT ${needsReviewerSql(actorId, opts.perTurn)} AS needs, ${slotsTakenByOthersSql(actorId)} AS taken
      FROM conversations c CROSS JOIN async_commit WHERE c.id = ${conversationId}
    ), put AS (
      INSERT INTO labeling_leases (conversation_id, reviewer_id, claimed_at, expires_at)
      SELECT ${conversationId}, ${actorId}, now(), now() + make_interval(secs => ${opts.ttlSeconds})
      FROM verdict WHERE needs AND taken < ${opts.perTurn}
      ON CONFLICT (conversation_id, reviewer_id) DO UPDATE
        SET expires_at = EXCLUDED.expires_at,
            claimed_at = CASE WHEN labeling_leases.expires_at <= now() THEN now() ELSE labeling_leases.claimed_at END
      RETURNING expires_at
    ), gone AS (
      DELETE FROM labeling_leases
      WHERE ${opts.releaseOthers} AND reviewer_id = ${actorId} AND conversation_id <> ${conversationId} AND EXISTS (SELECT 1 FROM put)
    )
    SELECT v.needs, v.taken, (SELECT expires_at FROM put) AS expires_at FROM verdict v`;
  const r = rows[0];
  return r ? { needs: r.needs, taken: r.taken, expiresAt: r.expires_at } : { needs: false, taken: 0, expiresAt: null };
}

async function othersOn(actorId: string, conversationId: number): Promise<LeaseHolder[]> {
  const rows = await db().$queryRaw<{ name: string; expires_at: Date }[]>`
    SELECT u.name, ll.expires_at FROM labeling_leases ll JOIN users u ON u.id = ll.reviewer_id
    WHERE ll.conversation_id = ${conversationId} AND ll.expires_at > now() AND ll.reviewer_id <> ${actorId}
    ORDER BY ll.claimed_at`;
  return rows.map((r) => ({ name: r.name, expiresAt: r.expires_at.toISOString() }));
}

export const conversationIdInput = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

/**
 * The conversation page's heartbeat: renews the actor's lease, or takes one when the
 * conversation needs them and a slot is free (a reviewer who opened it from the list). A
 * conversation that needs nothing from them (done, golden, fully covered) gets no lease, so
 * reading it never blocks the queue.
 */
export async function holdConversation(actor: Actor, rawId: unknown, opts: { ttlSeconds?: number } = {}): Promise<LeaseState> {
  const conversationId = conversationIdInput.parse(rawId);
  const { reviewersPerTurn } = await getLabelingSettings();
  const ttlSeconds = opts.ttlSeconds ?? leaseSeconds();
  const result = await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM conversations WHERE id = ${conversationId} FOR NO KEY UPDATE`;
    if (locked.length === 0) return null;
    return takeLockedConversation(tx, actor.id, conversationId, { perTurn: reviewersPerTurn, ttlSeconds, releaseOthers: false });
  });
  const others = await othersOn(actor.id, conversationId);
  if (!result || !result.needs) return { conversationId, held: false, expiresAt: null, reason: 'not_needed', others };
  if (!result.expiresAt) return { conversationId, held: false, expiresAt: null, reason: 'taken', others };
  return { conversationId, held: true, expiresAt: result.expiresAt.toISOString(), reason: 'held', others };
}

/** The reviewer left the conversation: their slot is free for the next reviewer at once. */
export async function releaseConversation(actor: Actor, rawId: unknown): Promise<{ released: boolean }> {
  const conversationId = conversationIdInput.parse(rawId);
  const n = await db().$executeRaw`DELETE FROM labeling_leases WHERE conversation_id = ${conversationId} AND reviewer_id = ${actor.id}`;
  return { released: n > 0 };
}

/** For the labeling settings page: how many conversations are held right now, by how many reviewers. */
export async function leaseSummary(actor: Actor): Promise<{ conversations: number; reviewers: number }> {
  assertRole(actor, 'admin', 'ml_lead');
  const [row] = await db().$queryRaw<{ conversations: bigint; reviewers: bigint }[]>`
    SELECT count(DISTINCT conversation_id) AS conversations, count(DISTINCT reviewer_id) AS reviewers FROM labeling_leases WHERE expires_at > now()`;
  return { conversations: Number(row?.conversations ?? 0), reviewers: Number(row?.reviewers ?? 0) };
}
