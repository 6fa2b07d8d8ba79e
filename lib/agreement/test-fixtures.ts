// Fixtures for the agreement tests: people (three reviewers, an import source, a lead, an
// admin) and conversations whose recruiter turns carry known labels, written straight into
// the tables (the label write path has its own tests).
import { db } from '../db';
import type { Actor } from '../auth/session';
import { refreshConversationStats } from '../conversations/stats';
import type { LabelValueName } from '../labeling/label-values';
import { resetDatabase } from '../testing/db-snapshot';

export const lead: Actor = { id: 'u-lead', email: 'lead@test', name: 'Lee Lead', role: 'ml_lead' };
export const admin: Actor = { id: 'u-admin', email: 'admin@test', name: 'Ada Admin', role: 'admin' };
export const ann: Actor = { id: 'u-ann', email: 'ann@test', name: 'Ann', role: 'reviewer' };
export const ben: Actor = { id: 'u-ben', email: 'ben@test', name: 'Ben', role: 'reviewer' };
export const cat: Actor = { id: 'u-cat', email: 'cat@test', name: 'Cat', role: 'reviewer' };
export const IMPORT_ID = 'u-import';

export async function resetWithPeople(): Promise<void> {
  await resetDatabase();
  for (const a of [lead, admin, ann, ben, cat]) await db().user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  await db().user.create({ data: { id: IMPORT_ID, email: 'import@sample.jsonl', name: 'sample.jsonl', role: 'reviewer' } });
}

/**
 * A conversation: an opening recruiter message, then `turns` candidate/recruiter pairs.
 * Returns the recruiter message ids after the opening (the decision turns) and the opening's id.
 */
export async function makeConversation(externalId: string, turns: number, opts: { golden?: boolean } = {}) {
  const messages = [{ position: 0, sender: 'recruiter' as const, text: `Hi from ${externalId}` }];
  for (let i = 0; i < turns; i++) {
    messages.push({ position: 2 * i + 1, sender: 'candidate' as never, text: `answer ${i}` });
    messages.push({ position: 2 * i + 2, sender: 'recruiter', text: `${externalId} question ${i}` });
  }
  const conv = await db().conversation.create({
    data: { externalId, lastActivityAt: new Date('2026-11-01T00:00:00Z'), isGolden: opts.golden ?? false, messages: { create: messages } },
    include: { messages: { orderBy: { position: 'asc' } } },
  });
  const recruiter = conv.messages.filter((m) => m.sender === 'recruiter');
  return { id: conv.id, opening: recruiter[0].id, turns: recruiter.slice(1).map((m) => m.id), candidate: conv.messages[1]?.id };
}

export async function putLabels(conversationId: number, rows: { messageId: number; reviewerId: string; value: LabelValueName }[]): Promise<void> {
  await db().label.createMany({ data: rows.map((r) => ({ ...r, conversationId })) });
  await refreshConversationStats(db(), [conversationId]);
}
