// Leases: who is working on which conversation right now. A lease is a row in
// labeling_leases that runs out at expires_at; the conversation page renews it while the
// reviewer is active and drops it when they leave. Taking a lease is race-free without any
// session state (safe behind PgBouncer in transaction mode): the conversation row is locked
// (FOR NO KEY UPDATE, held to the end of the transaction), then a NEW statement — which sees
// every lease committed before the lock was granted — checks the slots and writes the lease.
// That new statement is one inside work_queue_take(), a VOLATILE function (a fresh snapshot per
// statement it runs), so lock, check and write fit in one statement: one round trip.
// Two reviewers taking the same conversation are thereby serialised, and the second sees the
// first's lease. Labels never depend on a lease (lib/labeling/label-turn.ts does not look).
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import { assertRole, type Actor } from '../auth/session';
import { getLabelingSettings } from './settings';

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

/** What work_queue_take() returns: whether the actor is needed, how many slots others fill, the lease taken. */
interface TakeRow {
  needs: boolean;
  taken: number;
  expires_at: Date | null;
}

/** The call of work_queue_take() on conversation `id` (an SQL expression), for the caller to put after its row lock. */
export function takeSql(id: Prisma.Sql, actorId: string, opts: TakeOptions): Prisma.Sql {
  return Prisma.sql`work_queue_take(${id}, ${actorId}::text, ${opts.perTurn}::int, ${opts.ttlSeconds}::int, ${opts.releaseOthers}::boolean)`;
}

function takeResult(r: TakeRow | undefined): { needs: boolean; taken: number; expiresAt: Date | null } {
  return r ? { needs: r.needs, taken: r.taken, expiresAt: r.expires_at } : { needs: false, taken: 0, expiresAt: null };
}

/**
 * Inside a transaction that has just locked conversation `conversationId`: takes (or renews)
 * the actor's lease when the conversation still needs them and a slot is free. The check and
 * the write are work_queue_take() (migration work_queue_claim_functions): its statements each
 * see what was committed before the lock was granted. A lease is coordination, not data, so
 * that transaction commits asynchronously (the function sets it, transaction-scoped).
 */
export async function takeLockedConversation(
  tx: Prisma.TransactionClient,
  actorId: string,
  conversationId: number,
  opts: TakeOptions,
): Promise<{ needs: boolean; taken: number; expiresAt: Date | null }> {
  const rows = await tx.$queryRaw<TakeRow[]>`SELECT needs, taken, expires_at FROM ${takeSql(Prisma.sql`${conversationId}::int`, actorId, opts)}`;
  return takeResult(rows[0]);
}

/**
 * Locks conversation `conversationId` and takes the actor's lease in one statement (one round
 * trip, committed on its own): the row lock comes first (a MATERIALIZED CTE), then
 * work_queue_take() checks and writes with fresh snapshots. null: no such conversation.
 */
async function lockAndTake(actorId: string, conversationId: number, opts: TakeOptions) {
  const rows = await db().$queryRaw<TakeRow[]>`
    WITH locked AS MATERIALIZED (SELECT id FROM conversations WHERE id = ${conversationId} FOR NO KEY UPDATE)
    SELECT t.needs, t.taken, t.expires_at FROM locked CROSS JOIN LATERAL ${takeSql(Prisma.sql`locked.id`, actorId, opts)} t`;
  return rows.length ? takeResult(rows[0]) : null;
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
  const result = await lockAndTake(actor.id, conversationId, { perTurn: reviewersPerTurn, ttlSeconds, releaseOthers: false });
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
