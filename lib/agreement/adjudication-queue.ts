// The adjudication queue: recruiter turns whose labels disagree, oldest message first, with
// every reviewer's label and the final label once an ML lead set one. Keyset-paginated by
// message id, so a page costs the same however deep the queue is.
//
// Every label counts here, import sources' included: the dataset policies resolve over all of
// them, so a turn where an imported file and a reviewer disagree is a turn datasets disagree on.
import { z } from 'zod';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { isImportSource } from '../auth/account-kind';
import type { LabelValueName } from '../labeling/label-values';
import { assertCanSeeTeamAgreement } from './access';

export const QUEUE_PAGE_SIZE = 25;

/**
 * Why a turn is in the queue: each entry selects `(message_id, reason)` for turns past `$1`.
 * A new reason is one more line, e.g. once turn flags exist:
 *   `SELECT f.message_id, 'flagged' FROM turn_flags f WHERE f.message_id > $1`
 */
const QUEUE_SOURCES = [
  `SELECT l.message_id, 'disagreement' AS reason FROM labels l WHERE l.message_id > $1 GROUP BY l.message_id HAVING count(DISTINCT l.value) > 1`,
];
export type QueueReason = 'disagreement' | 'flagged';

export const queueFilterSchema = z.object({
  status: z.enum(['open', 'adjudicated', 'all']).catch('open'),
  conversation: z.coerce.number().int().positive().optional().catch(undefined),
  after: z.coerce.number().int().nonnegative().optional().catch(undefined),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

export interface QueueLabel {
  reviewerId: string;
  email: string;
  name: string;
  isImport: boolean;
  value: LabelValueName;
}

export interface QueueItem {
  messageId: number;
  conversationId: number;
  externalId: string;
  candidateName: string | null;
  position: number;
  text: string;
  reasons: QueueReason[];
  labels: QueueLabel[];
  adjudication: { value: LabelValueName; note: string; by: string; at: Date } | null;
}

const STATUS_SQL = { open: 'a.message_id IS NULL', adjudicated: 'a.message_id IS NOT NULL', all: 'true' } as const;

function queueSql(filter: QueueFilter): string {
  return `
    WITH sources AS (${QUEUE_SOURCES.join('\n      UNION ALL ')}),
    queued AS (SELECT message_id, array_agg(DISTINCT reason) AS reasons FROM sources GROUP BY message_id)
    SELECT q.message_id, m.conversation_id, c.external_id, c.candidate_name, m.position, m.text, q.reasons,
           (SELECT json_agg(json_build_object('reviewerId', u.id, 'email', u.email, 'name', u.name, 'value', l.value) ORDER BY u.email)
              FROM labels l JOIN users u ON u.id = l.reviewer_id WHERE l.message_id = q.message_id) AS labels,
           a.value::text AS adjudicated_value, a.note AS adjudicated_note, a.updated_at AS adjudicated_at, ab.email AS adjudicated_by
    FROM queued q
    JOIN messages m ON m.id = q.message_id
    JOIN conversations c ON c.id = m.conversation_id
    LEFT JOIN adjudications a ON a.message_id = q.message_id
    LEFT JOIN users ab ON ab.id = a.adjudicated_by_id
    WHERE NOT c.is_golden AND m.sender = 'recruiter' AND m.position > 0 AND ${STATUS_SQL[filter.status]}
      AND ($2::int IS NULL OR m.conversation_id = $2)
    ORDER BY q.message_id
    LIMIT $3`;
}

type Raw = {
  message_id: number;
  conversation_id: number;
  external_id: string;
  candidate_name: string | null;
  position: number;
  text: string;
  reasons: QueueReason[];
  labels: Omit<QueueLabel, 'isImport'>[] | null;
  adjudicated_value: LabelValueName | null;
  adjudicated_note: string | null;
  adjudicated_at: Date | null;
  adjudicated_by: string | null;
};

export async function listAdjudicationQueue(actor: Actor, filter: QueueFilter): Promise<{ items: QueueItem[]; nextAfter: number | null }> {
  assertCanSeeTeamAgreement(actor);
  const raw = await db().$queryRawUnsafe<Raw[]>(queueSql(filter), filter.after ?? 0, filter.conversation ?? null, QUEUE_PAGE_SIZE + 1);
  const items = raw.slice(0, QUEUE_PAGE_SIZE).map((r): QueueItem => ({
    messageId: r.message_id,
    conversationId: r.conversation_id,
    externalId: r.external_id,
    candidateName: r.candidate_name,
    position: r.position,
    text: r.text,
    reasons: r.reasons,
    labels: (r.labels ?? []).map((l) => ({ ...l, isImport: isImportSource(l.email) })),
    adjudication:
      r.adjudicated_value && r.adjudicated_at
        ? { value: r.adjudicated_value, note: r.adjudicated_note ?? '', by: r.adjudicated_by ?? '', at: r.adjudicated_at }
        : null,
  }));
  return { items, nextAfter: raw.length > QUEUE_PAGE_SIZE ? items[items.length - 1].messageId : null };
}

/** Open (not yet adjudicated) turns in the queue, for the agreement page's link. */
export async function openQueueCount(actor: Actor): Promise<number> {
  assertCanSeeTeamAgreement(actor);
  const rows = await db().$queryRawUnsafe<{ n: number }[]>(
    `WITH sources AS (${QUEUE_SOURCES.join(' UNION ALL ')})
     SELECT count(DISTINCT s.message_id)::int AS n FROM sources s
     JOIN messages m ON m.id = s.message_id JOIN conversations c ON c.id = m.conversation_id
     WHERE NOT c.is_golden AND m.sender = 'recruiter' AND m.position > 0
       AND NOT EXISTS (SELECT 1 FROM adjudications a WHERE a.message_id = s.message_id)`,
    0,
  );
  return rows[0].n;
}
