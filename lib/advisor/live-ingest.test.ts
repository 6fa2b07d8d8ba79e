// The live merge's fast path (unchanged → nothing, grown → append) must leave exactly what the
// importer's merge leaves: the same conversations, messages, search documents and counters.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { db } from '../db';
import { admin, resetWithUsers, reviewer } from '../datasets/test-fixtures';
import { importConversationsInTransaction } from '../imports/import-conversations';
import type { ImportConversation } from '../imports/schema';
import { labelTurn } from '../labeling/label-turn';
import { logLiveDecision } from '../testing/log-live-decision';
import { drainLiveInbox, ingestLiveBatch, LIVE_SOURCE } from './live-ingest';
import { closeAdvisorPool } from './pool';
import { promoteModel } from './promotions';

const T0 = Date.parse('2026-11-20T15:00:00Z');
const msg = (sender: 'recruiter' | 'candidate', text: string, min: number) => ({
  sender,
  text,
  // An offset and no milliseconds: stored normalised, compared exactly.
  sent_at: new Date(T0 + min * 60_000).toISOString().replace('.000Z', '+00:00'),
});
const full = [
  msg('recruiter', 'Hi Ana, forklift role at $21/hr, days. Interested?', 0),
  msg('candidate', 'maybe, what are the hours?', 7),
  msg('recruiter', 'Mon-Fri 7 to 3:30. Any questions on pay?', 9),
  msg('candidate', 'sounds good. can I come in thursday?', 30),
  msg('recruiter', 'Thursday 10am works, see you then!', 31),
  msg('candidate', 'great thanks', 40),
];
const conv = (id: string, n: number, extra: Partial<ImportConversation> = {}): ImportConversation => ({
  external_id: id,
  candidate_name: 'Ana Live',
  job_title: 'Forklift Operator',
  messages: full.slice(0, n),
  ...extra,
});

// Steps of live traffic: each is the payloads of one merge.
const steps: ImportConversation[][] = [
  [conv('a', 2), conv('b', 2), conv('c', 4)],
  [conv('a', 4), conv('b', 2), conv('c', 4, { candidate_name: 'Ana Renamed' })],
  [conv('a', 6), conv('b', 3), conv('c', 2, { candidate_name: 'Ana Renamed' })],
];

let promotionId: number;
async function logAll(payloads: ImportConversation[]) {
  for (const c of payloads) {
    await logLiveDecision(c, promotionId);
  }
}

async function stored() {
  const conversations = await db().$queryRaw<unknown[]>`
    SELECT external_id, candidate_name, job_title, last_activity_at, recruiter_turns, labeled_turns, end_turns, schedule_turns, reviewer_count,
           is_live, search::text AS search
    FROM conversations ORDER BY external_id`;
  const messages = await db().$queryRaw<unknown[]>`
    SELECT c.external_id, m.position, m.sender::text, m.text, m.sent_at FROM messages m JOIN conversations c ON c.id = m.conversation_id
    ORDER BY 1, 2`;
  const labels = await db().$queryRaw<unknown[]>`SELECT c.external_id, l.value::text FROM labels l JOIN conversations c ON c.id = l.conversation_id ORDER BY 1`;
  const progress = await db().$queryRaw<unknown[]>`
    SELECT c.external_id, r.reviewer_id, r.labeled_turns FROM conversation_reviewers r JOIN conversations c ON c.id = r.conversation_id ORDER BY 1, 2`;
  return { conversations, messages, labels, progress };
}

async function labelSecondTurn(externalId: string) {
  const m = await db().message.findFirstOrThrow({ where: { conversation: { externalId }, position: 2 } });
  await labelTurn(reviewer, { messageId: m.id, value: 'CONTINUE' });
}

// The same traffic through the importer's merge alone, on emptied tables; what it stores.
async function viaImporter(traffic: ImportConversation[][], between: (step: number) => Promise<void> | undefined = () => undefined) {
  await resetWithUsers();
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    for (const [i, step] of traffic.entries()) {
      await client.query('BEGIN');
      await importConversationsInTransaction(client, step, LIVE_SOURCE, { live: true });
      await client.query('COMMIT');
      await between(i);
    }
  } finally {
    await client.end();
  }
  return stored();
}

beforeEach(async () => {
  await resetWithUsers();
  promotionId = (await promoteModel(admin, { model: 'local-base', provider: 'local', threshold: 0.7, timeoutMs: 1000, note: 'test' })).id;
});
afterAll(closeAdvisorPool);

describe('live merge', () => {
  it('new, grown and unchanged conversations take the fast paths and end exactly as the importer leaves them', async () => {
    const kinds = { new: 0, same: 0, append: 0, import: 0, golden: 0 };
    for (const [i, step] of steps.entries()) {
      await logAll(step);
      const r = await ingestLiveBatch();
      expect(r.merged).toBe(step.length);
      for (const [k, n] of Object.entries(r.kinds!)) kinds[k as keyof typeof kinds] += n;
      if (i === 1) await labelSecondTurn('a'); // a reviewer labels between merges: counters must follow
    }
    // a: new, grown, grown · b: new, unchanged, grown · c: new, renamed, shrunk.
    expect(kinds).toEqual({ new: 3, same: 1, append: 3, import: 2, golden: 0 });
    const fast = await stored();
    const decisions = await db().advisorDecision.findMany({ select: { externalId: true, conversationId: true } });
    expect(decisions.every((d) => d.conversationId !== null)).toBe(true);
    expect(await db().liveConversationInbox.count()).toBe(0);

    expect(fast).toEqual(await viaImporter(steps, (i) => (i === 1 ? labelSecondTurn('a') : undefined)));
  });

  it('a grown search document that appending could get wrong is rebuilt from the whole text, as the importer builds it', async () => {
    // A '>' in the appended text may close a tag begun before it ('<b ... >' is one token the
    // 'simple' configuration skips); a word past 255 positions makes concatenating drop others.
    const tag = (n: number) =>
      conv('t', n, {
        messages: [msg('recruiter', 'Hi Ana, <b is this', 0), msg('candidate', 'yes', 1), msg('recruiter', 'ok', 2), msg('candidate', 'it> is', 3)].slice(0, n),
      });
    const many = (n: number) =>
      conv('r', n, {
        messages: [
          msg('recruiter', 'yes '.repeat(200), 0),
          msg('candidate', 'yes', 1),
          msg('recruiter', 'ok', 2),
          msg('candidate', 'yes '.repeat(100), 3),
        ].slice(0, n),
      });
    const ordinary = (n: number) => conv('o', n);
    const traffic = [
      [tag(2), many(2), ordinary(2)],
      [tag(4), many(4), ordinary(4)],
    ];
    const kinds = { new: 0, same: 0, append: 0, import: 0, golden: 0 };
    for (const step of traffic) {
      await logAll(step);
      const r = await ingestLiveBatch();
      for (const [k, n] of Object.entries(r.kinds!)) kinds[k as keyof typeof kinds] += n;
    }
    expect(kinds).toEqual({ new: 3, same: 0, append: 3, import: 0, golden: 0 });
    const fast = await stored();
    expect(fast).toEqual(await viaImporter(traffic));
  });

  it('an edited earlier message goes through the importer (labels on it are dropped as the importer drops them)', async () => {
    await logAll([conv('d', 4)]);
    await drainLiveInbox();
    await labelSecondTurn('d');
    const edited = conv('d', 5);
    edited.messages = edited.messages.map((m, i) => (i === 2 ? { ...m, text: 'Mon-Fri 6 to 2:30 now. Any questions on pay?' } : m));
    await logAll([edited]);
    const r = await ingestLiveBatch();
    expect(r.kinds).toEqual({ new: 0, same: 0, append: 0, import: 1, golden: 0 });
    const c = await db().conversation.findUniqueOrThrow({ where: { externalId: 'd' }, include: { messages: { orderBy: { position: 'asc' } } } });
    expect(c.messages.map((m) => m.text)).toEqual(edited.messages.map((m) => m.text));
    expect(c.labeledTurns).toBe(0);
    expect(await db().label.count()).toBe(0);
  });
});
