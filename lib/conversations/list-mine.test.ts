// The reviewer's own views of the list: "Labeled by me" (progress rows) and "Held by me" (the
// work queue's leases that have not run out), each in every sort, and nobody else's.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { mlLead, resetWithUsers, reviewer } from '../datasets/test-fixtures';
import { listConversations } from './list-conversations';
import { listParamsSchema } from './list-params';

const ids = async (filter: string, sort = 'recent', who = reviewer) =>
  (await listConversations(who, listParamsSchema.parse({ filter, sort }))).rows.map((r) => r.externalId).sort();

describe('my views of the conversations list', () => {
  beforeAll(async () => {
    await resetWithUsers();
    await db().$executeRaw`
      INSERT INTO conversations (external_id, last_activity_at, updated_at, recruiter_turns, labeled_turns)
      SELECT 'mine-' || g, now() - g * interval '1 minute', now(), 2, 0 FROM generate_series(1, 200) g`;
    // The reviewer labeled 3, 50 and 120; the ML lead 50 and 7.
    await db().$executeRaw`
      INSERT INTO conversation_reviewers (conversation_id, reviewer_id, labeled_turns, last_labeled_at)
      SELECT c.id, v.who, 1, now() FROM conversations c JOIN (VALUES ('mine-3', ${reviewer.id}), ('mine-50', ${reviewer.id}), ('mine-120', ${reviewer.id}),
        ('mine-50', ${mlLead.id}), ('mine-7', ${mlLead.id})) v(ext, who) ON v.ext = c.external_id`;
    // The reviewer holds 10 and 60; their lease on 90 ran out; the ML lead holds 11.
    await db().$executeRaw`
      INSERT INTO labeling_leases (conversation_id, reviewer_id, claimed_at, expires_at)
      SELECT c.id, v.who, now(), now() + v.ttl FROM conversations c JOIN (VALUES ('mine-10', ${reviewer.id}, interval '10 minutes'),
        ('mine-60', ${reviewer.id}, interval '5 minutes'), ('mine-90', ${reviewer.id}, interval '-1 minute'), ('mine-11', ${mlLead.id}, interval '10 minutes')) v(ext, who, ttl)
        ON v.ext = c.external_id`;
    await db().$executeRaw`ANALYZE conversations`;
  });

  it('"Labeled by me" lists the conversations I labeled, in every sort', async () => {
    for (const sort of ['recent', 'oldest', 'uncertain']) expect(await ids('mine', sort)).toEqual(['mine-120', 'mine-3', 'mine-50']);
    expect(await ids('mine', 'recent', mlLead)).toEqual(['mine-50', 'mine-7']);
  });

  it('"Held by me" lists the conversations whose lease I hold now, not run-out ones nor others\'', async () => {
    for (const sort of ['recent', 'oldest', 'uncertain']) expect(await ids('held', sort)).toEqual(['mine-10', 'mine-60']);
    expect(await ids('held', 'recent', mlLead)).toEqual(['mine-11']);
    const page = await listConversations(reviewer, listParamsSchema.parse({ filter: 'held' }));
    expect([page.total, page.totalEstimated, page.filter]).toEqual([2, false, 'held']);
  });
});
