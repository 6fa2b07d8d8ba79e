import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { refreshConversationContent, refreshConversationStats } from '../conversations/stats';
import { createRng } from '../prng';
import { labelTurn, LabelRuleError } from './label-turn';
import { labelHistoryBreaks } from './test-history';

const alice: Actor = { id: 'u-alice', email: 'alice@test', name: 'Alice', role: 'reviewer' };
const bob: Actor = { id: 'u-bob', email: 'bob@test', name: 'Bob', role: 'reviewer' };

async function snapshot() {
  const p = db();
  return {
    labels: await p.label.findMany({ orderBy: { id: 'asc' } }),
    events: await p.labelEvent.count(),
    conv: await p.conversation.findMany({ orderBy: { id: 'asc' } }),
    reviewers: await p.conversationReviewer.findMany({ orderBy: [{ conversationId: 'asc' }, { reviewerId: 'asc' }] }),
  };
}

let turns: number[] = [];
let candidateMessage = 0;
let conversationId = 0;

beforeEach(async () => {
  const p = db();
  await p.$executeRawUnsafe('TRUNCATE conversations, messages, labels, label_events, conversation_reviewers, users CASCADE');
  for (const a of [alice, bob]) await p.user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  const conv = await p.conversation.create({
    data: {
      externalId: 'rules-1',
      lastActivityAt: new Date('2026-01-01T00:00:00Z'),
      messages: {
        create: [
          { position: 0, sender: 'recruiter', text: 'Hi! Interested in a forklift role?' },
          { position: 1, sender: 'candidate', text: 'how much does it pay' },
          { position: 2, sender: 'recruiter', text: '$21/hr. Want to set up a call?' },
          { position: 3, sender: 'candidate', text: 'STOP' },
          { position: 4, sender: 'recruiter', text: 'Understood, you will not hear from us again.' },
        ],
      },
    },
    include: { messages: { orderBy: { position: 'asc' } } },
  });
  conversationId = conv.id;
  turns = conv.messages.filter((m) => m.sender === 'recruiter').map((m) => m.id);
  candidateMessage = conv.messages[1].id;
  await refreshConversationContent(p, [conv.id]);
  await refreshConversationStats(p, [conv.id]);
});

describe('labelTurn', () => {
  it('stores one label per reviewer and turn, with append-only history of every change', async () => {
    await labelTurn(alice, { messageId: turns[0], value: 'CONTINUE' });
    await labelTurn(alice, { messageId: turns[0], value: 'END' });
    await labelTurn(bob, { messageId: turns[0], value: 'CONTINUE' });
    const labels = await db().label.findMany({ where: { messageId: turns[0] }, orderBy: { reviewerId: 'asc' } });
    expect(labels.map((l) => [l.reviewerId, l.value])).toEqual([
      ['u-alice', 'END'],
      ['u-bob', 'CONTINUE'],
    ]);
    const events = await db().labelEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.reviewerId, e.fromValue, e.toValue, e.source])).toEqual([
      ['u-alice', null, 'CONTINUE', 'ui'],
      ['u-alice', 'CONTINUE', 'END', 'ui'],
      ['u-bob', null, 'CONTINUE', 'ui'],
    ]);
  });

  it('writes no history when the value does not change', async () => {
    await labelTurn(alice, { messageId: turns[1], value: 'SCHEDULE' });
    const res = await labelTurn(alice, { messageId: turns[1], value: 'SCHEDULE' });
    expect(res.changed).toBe(false);
    expect(await db().labelEvent.count()).toBe(1);
  });

  it('clears a label with null and records the clearing', async () => {
    await labelTurn(alice, { messageId: turns[2], value: 'END' });
    await labelTurn(alice, { messageId: turns[2], value: null });
    expect(await db().label.count()).toBe(0);
    const last = await db().labelEvent.findFirst({ orderBy: { id: 'desc' } });
    expect([last?.fromValue, last?.toValue]).toEqual(['END', null]);
  });

  it('keeps the conversation counters that the list filters read', async () => {
    await labelTurn(alice, { messageId: turns[0], value: 'CONTINUE' });
    await labelTurn(alice, { messageId: turns[2], value: 'END' });
    await labelTurn(bob, { messageId: turns[2], value: 'SCHEDULE' });
    // Counters are over decision turns: turns[0] is the opening message and counts for nobody.
    let c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect([c.recruiterTurns, c.labeledTurns, c.endTurns, c.scheduleTurns, c.reviewerCount]).toEqual([2, 1, 1, 1, 2]);
    const mine = await db().conversationReviewer.findUniqueOrThrow({
      where: { conversationId_reviewerId: { conversationId, reviewerId: alice.id } },
    });
    expect(mine.labeledTurns).toBe(1);
    await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
    await labelTurn(bob, { messageId: turns[2], value: null });
    c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect([c.labeledTurns, c.scheduleTurns, c.reviewerCount]).toEqual([2, 0, 1]);
  });

  it('refuses a label on a candidate message and leaves everything as it was', async () => {
    await labelTurn(alice, { messageId: turns[0], value: 'CONTINUE' });
    const before = await snapshot();
    await expect(labelTurn(alice, { messageId: candidateMessage, value: 'END' })).rejects.toThrow(LabelRuleError);
    await expect(labelTurn(alice, { messageId: candidateMessage, value: 'END' })).rejects.toThrow(/Only recruiter turns/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses unknown messages and values that are not a label', async () => {
    const before = await snapshot();
    await expect(labelTurn(alice, { messageId: 999_999, value: 'END' })).rejects.toThrow(/does not exist/);
    await expect(labelTurn(alice, { messageId: turns[0], value: 'MAYBE' })).rejects.toThrow();
    await expect(labelTurn(alice, { messageId: -1, value: 'END' })).rejects.toThrow();
    await expect(labelTurn(alice, { messageId: turns[0] })).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });

  it('keeps counters right under concurrent writers on one conversation', async () => {
    await Promise.all([
      ...turns.map((t) => labelTurn(alice, { messageId: t, value: 'CONTINUE' })),
      ...turns.map((t) => labelTurn(bob, { messageId: t, value: 'END' })),
    ]);
    const c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
    // Two decision turns (the opening message is labeled but not counted).
    expect([c.labeledTurns, c.endTurns, c.reviewerCount]).toEqual([2, 2, 2]);
    expect(await db().labelEvent.count()).toBe(6);
  });

  it('keeps one true history chain when one reviewer writes the same turn from two tabs', async () => {
    const rng = createRng(42);
    const values = ['END', 'CONTINUE', 'SCHEDULE', null] as const;
    // Two tabs, each firing writes as fast as it can: 2 × 100 writes in flight on one row.
    const tab = (n: number) => Promise.all(Array.from({ length: n }, () => labelTurn(alice, { messageId: turns[0], value: rng.pick(values) })));
    const results = (await Promise.all([tab(100), tab(100)])).flat();
    expect(await labelHistoryBreaks()).toEqual([]);
    const events = await db().labelEvent.count({ where: { messageId: turns[0], reviewerId: alice.id } });
    expect(results.filter((r) => r.changed).length).toBe(events);
    expect(events).toBeGreaterThan(10);
  });

  // Another writer holds the conversation (as an import or another tab does), changes
  // things and commits while labelTurn waits: labelTurn must act on what was committed.
  async function whileAnotherWriterHoldsTheConversation(change: (c: pg.Client) => Promise<unknown>, write: () => Promise<unknown>) {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
      await change(other);
      const pending = write().then(
        (r) => ({ ok: true as const, r }),
        (e: Error) => ({ ok: false as const, e }),
      );
      // labelTurn is now blocked on the conversation row.
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      return await pending;
    } finally {
      await other.end();
    }
  }

  it('reads the label after waiting for the conversation, so history starts from the committed value', async () => {
    const outcome = await whileAnotherWriterHoldsTheConversation(
      (c) =>
        c.query(
          `WITH l AS (INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at) VALUES ($1, $2, $3, 'END', now()) RETURNING 1)
           INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source) SELECT $1, $2, $3, NULL, 'END', 'ui' FROM l`,
          [turns[0], conversationId, alice.id],
        ),
      () => labelTurn(alice, { messageId: turns[0], value: 'CONTINUE' }),
    );
    expect(outcome).toMatchObject({ ok: true, r: { changed: true, value: 'CONTINUE' } });
    const events = await db().labelEvent.findMany({ where: { messageId: turns[0] }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.fromValue, e.toValue])).toEqual([
      [null, 'END'],
      ['END', 'CONTINUE'],
    ]);
    expect(await labelHistoryBreaks()).toEqual([]);
  });

  it('refuses, as a rule error, a turn that a re-import removed while the write waited', async () => {
    const outcome = await whileAnotherWriterHoldsTheConversation(
      (c) => c.query('DELETE FROM messages WHERE id = $1', [turns[2]]),
      () => labelTurn(alice, { messageId: turns[2], value: 'END' }),
    );
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.e).toBeInstanceOf(LabelRuleError);
    expect(!outcome.ok && outcome.e.message).toMatch(/does not exist any more/);
    expect(await db().label.count()).toBe(0);
  });
});
