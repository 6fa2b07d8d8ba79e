// The audit-trail invariant every label writer must keep: for each (message, reviewer), the
// history rows ordered by id form one unbroken chain — the first starts from NULL, each
// `from_value` is the previous `to_value` — and the chain ends at the label stored now.
import { db } from '../db';

export interface ChainBreak {
  messageId: number;
  reviewerId: string;
  problem: string;
}

export async function labelHistoryBreaks(): Promise<ChainBreak[]> {
  const events = await db().$queryRaw<{ message_id: number; reviewer_id: string; from_value: string | null; to_value: string | null }[]>`
    SELECT message_id, reviewer_id, from_value::text, to_value::text FROM label_events ORDER BY message_id, reviewer_id, id`;
  const labels = await db().$queryRaw<{ message_id: number; reviewer_id: string; value: string }[]>`
    SELECT message_id, reviewer_id, value::text FROM labels`;
  const current = new Map(labels.map((l) => [`${l.message_id}/${l.reviewer_id}`, l.value]));
  const breaks: ChainBreak[] = [];
  const last = new Map<string, string | null>();
  for (const e of events) {
    const key = `${e.message_id}/${e.reviewer_id}`;
    const prev = last.has(key) ? last.get(key)! : null;
    if (e.from_value !== prev) breaks.push({ messageId: e.message_id, reviewerId: e.reviewer_id, problem: `from ${e.from_value} after ${prev}` });
    if (e.from_value === e.to_value) breaks.push({ messageId: e.message_id, reviewerId: e.reviewer_id, problem: `no-op ${e.from_value} → ${e.to_value}` });
    last.set(key, e.to_value);
  }
  for (const [key, to] of last) {
    const now = current.get(key) ?? null;
    const [messageId, reviewerId] = key.split('/');
    if (to !== now) breaks.push({ messageId: Number(messageId), reviewerId, problem: `history ends at ${to}, label is ${now}` });
  }
  for (const [key, value] of current) {
    const [messageId, reviewerId] = key.split('/');
    if (!last.has(key)) breaks.push({ messageId: Number(messageId), reviewerId, problem: `label ${value} without history` });
  }
  return breaks;
}
