// A turn's history: every change anyone made to it — labels (label_events) and skips and
// flags (turn_mark_events) — newest first, a page at a time (keyset on time, then table, then id).
import { z } from 'zod';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { assertLabelingRole } from './turn-actions-rules';
import { labelsBlindFor } from './blind';
import { getLabelingSettings } from './settings';

export const HISTORY_PAGE_SIZE = 50;

// "<ms>_<table>_<id>": the (created_at, table, id) of the last entry shown.
const cursorSchema = z
  .string()
  .regex(/^\d{1,15}_[01]_\d{1,19}$/, 'before must be a cursor from a previous page')
  .transform((s) => {
    const [ms, table, id] = s.split('_');
    return { at: new Date(Number(ms)), table: Number(table), id: BigInt(id) };
  });

export const turnHistoryInput = z.object({ messageId: z.number().int().positive(), before: cursorSchema.nullish() });

export interface HistoryEntry {
  /** Unique within the turn's history, for React keys. */
  key: string;
  at: string;
  reviewerId: string;
  who: string;
  whoEmail: string;
  kind: 'label' | 'skip' | 'flag';
  from: string | null;
  to: string | null;
  /** ui | import | suggestion | adjudication | undo */
  source: string;
  /** Taken back later by its author's undo. */
  undone: boolean;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `before` for older entries; null when this page reaches the first change. */
  olderCursor: string | null;
  /** Blind labeling keeps others' label changes back until the actor has labeled the turn. */
  othersHidden: boolean;
}

export async function turnHistory(actor: Actor, rawInput: unknown): Promise<HistoryPage> {
  assertLabelingRole(actor);
  const { messageId, before } = turnHistoryInput.parse(rawInput);
  // Blind labeling (./blind.ts): others' label changes are as hidden as their labels, until the
  // actor has labeled the turn. Skips and flags say nothing about the value and stay visible.
  const blind = labelsBlindFor(actor, await getLabelingSettings())
    ? (
        await db().$queryRaw<{ hide: boolean }[]>`
        SELECT NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = ${messageId} AND l.reviewer_id = ${actor.id})
           AND NOT EXISTS (SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ${messageId} AND c.is_golden) AS hide`
      )[0].hide
    : false;
  const rows = await db().$queryRaw<
    {
      tbl: number;
      id: bigint;
      kind: 'label' | 'skip' | 'flag';
      created_at: Date;
      reviewer_id: string;
      name: string | null;
      email: string | null;
      from_value: string | null;
      to_value: string | null;
      source: string;
      undone: boolean;
    }[]
  >`
    SELECT h.*, u.name, u.email FROM (
      SELECT 0 AS tbl, e.id, 'label' AS kind, e.created_at, e.reviewer_id, e.from_value::text AS from_value, e.to_value::text AS to_value, e.source,
             e.undone_at IS NOT NULL AS undone
        FROM label_events e WHERE e.message_id = ${messageId} AND (${!blind} OR e.reviewer_id = ${actor.id})
      UNION ALL
      SELECT 1 AS tbl, e.id, e.kind, e.created_at, e.reviewer_id, e.from_value, e.to_value, e.source, e.undone_at IS NOT NULL AS undone
        FROM turn_mark_events e WHERE e.message_id = ${messageId}
    ) h LEFT JOIN users u ON u.id = h.reviewer_id
    WHERE ${before ? 1 : 0} = 0 OR (h.created_at, h.tbl, h.id) < (${before?.at ?? new Date(0)}::timestamp, ${before?.table ?? 0}::int, ${before?.id ?? 0n}::bigint)
    ORDER BY h.created_at DESC, h.tbl DESC, h.id DESC
    LIMIT ${HISTORY_PAGE_SIZE + 1}`;
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  const last = page.at(-1);
  return {
    othersHidden: blind,
    entries: page.map((r) => ({
      key: `${r.tbl}-${r.id}`,
      at: r.created_at.toISOString(),
      reviewerId: r.reviewer_id,
      // History outlives accounts (no foreign key): a removed reviewer is still named by id.
      who: r.name ?? `removed account ${r.reviewer_id}`,
      whoEmail: r.email ?? '',
      kind: r.kind,
      from: r.from_value,
      to: r.to_value,
      source: r.source,
      undone: r.undone,
    })),
    olderCursor: rows.length > HISTORY_PAGE_SIZE && last ? `${last.created_at.getTime()}_${last.tbl}_${last.id}` : null,
  };
}
