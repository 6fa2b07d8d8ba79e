import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { ForbiddenError, InputError, NotFoundError } from '../errors';
import { snapshotDatabase } from '../testing/db-snapshot';
import { adjudicateTurn } from './adjudicate';
import { listAdjudicationQueue, openQueueCount, QUEUE_PAGE_SIZE } from './adjudication-queue';
import { admin, ann, ben, IMPORT_ID, lead, makeConversation, putLabels, resetWithPeople } from './test-fixtures';

let conv: Awaited<ReturnType<typeof makeConversation>>;

beforeEach(async () => {
  await resetWithPeople();
  conv = await makeConversation('adj-1', 3);
  // Turn 0: Ann and Ben disagree. Turn 1: they agree. Turn 2: Ann and an imported file disagree.
  await putLabels(conv.id, [
    { messageId: conv.turns[0], reviewerId: ann.id, value: 'END' },
    { messageId: conv.turns[0], reviewerId: ben.id, value: 'CONTINUE' },
    { messageId: conv.turns[1], reviewerId: ann.id, value: 'SCHEDULE' },
    { messageId: conv.turns[1], reviewerId: ben.id, value: 'SCHEDULE' },
    { messageId: conv.turns[2], reviewerId: ann.id, value: 'CONTINUE' },
    { messageId: conv.turns[2], reviewerId: IMPORT_ID, value: 'END' },
  ]);
});

async function expectNothingWritten(call: () => Promise<unknown>, error: new (...args: never[]) => Error) {
  const before = await snapshotDatabase();
  await expect(call()).rejects.toBeInstanceOf(error);
  expect(await snapshotDatabase()).toEqual(before);
}

describe('adjudicateTurn', () => {
  it('stores the final label with its note and a label_events row with source adjudication', async () => {
    const r = await adjudicateTurn(lead, { messageId: conv.turns[0], value: 'CONTINUE', note: '  asked about pay: keep going  ' });
    expect(r).toMatchObject({ value: 'CONTINUE', previous: null, changed: true, conversationId: conv.id });
    const row = await db().adjudication.findUniqueOrThrow({ where: { messageId: conv.turns[0] } });
    expect(row).toMatchObject({ value: 'CONTINUE', note: 'asked about pay: keep going', adjudicatedById: lead.id, conversationId: conv.id });
    const events = await db().labelEvent.findMany({ where: { source: 'adjudication' } });
    expect(events.map((e) => [e.messageId, e.reviewerId, e.fromValue, e.toValue])).toEqual([[conv.turns[0], lead.id, null, 'CONTINUE']]);
    // Reviewers' own labels are untouched.
    expect(await db().label.count({ where: { messageId: conv.turns[0] } })).toBe(2);
  });

  it('a second decision replaces the first; history records the value change, a note-only change writes no history', async () => {
    await adjudicateTurn(lead, { messageId: conv.turns[0], value: 'CONTINUE', note: 'first look' });
    const second = await adjudicateTurn(admin, { messageId: conv.turns[0], value: 'END', note: 'candidate said STOP later' });
    expect(second).toMatchObject({ previous: 'CONTINUE', changed: true });
    const third = await adjudicateTurn(admin, { messageId: conv.turns[0], value: 'END', note: 'confirmed' });
    expect(third.changed).toBe(false);
    expect(await db().adjudication.findUniqueOrThrow({ where: { messageId: conv.turns[0] } })).toMatchObject({
      value: 'END',
      note: 'confirmed',
      adjudicatedById: admin.id,
    });
    const events = await db().labelEvent.findMany({ where: { source: 'adjudication' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.reviewerId, e.fromValue, e.toValue])).toEqual([
      [lead.id, null, 'CONTINUE'],
      [admin.id, 'CONTINUE', 'END'],
    ]);
  });

  it('refuses a reviewer and writes nothing', async () => {
    await expectNothingWritten(() => adjudicateTurn(ann, { messageId: conv.turns[0], value: 'END', note: 'mine is right' }), ForbiddenError);
  });

  it('names the bad field of bad input and writes nothing', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ messageId: conv.turns[0], value: 'MAYBE', note: 'x' }, 'value', /END, CONTINUE, SCHEDULE/],
      [{ messageId: conv.turns[0], value: 'END', note: '   ' }, 'note', /write a note/],
      [{ messageId: conv.turns[0], value: 'END', note: 'x'.repeat(1001) }, 'note', /at most 1000/],
      [{ messageId: 'abc', value: 'END', note: 'x' }, 'messageId', /message id/],
      [{ messageId: conv.candidate, value: 'END', note: 'x' }, 'messageId', /candidate message/],
      [{ messageId: conv.opening, value: 'END', note: 'x' }, 'messageId', /opening message/],
    ];
    for (const [input, field, message] of cases) {
      const before = await snapshotDatabase();
      const e = await adjudicateTurn(lead, input).catch((err: unknown) => err);
      expect(e, JSON.stringify(input)).toBeInstanceOf(InputError);
      const issue = (e as InputError).issues.find((i) => i.field === field);
      expect(issue?.message, JSON.stringify(input)).toMatch(message);
      expect(await snapshotDatabase()).toEqual(before);
    }
    await expectNothingWritten(() => adjudicateTurn(lead, { messageId: 99_999_999, value: 'END', note: 'x' }), NotFoundError);
  });

  it('refuses golden conversations and turns nobody labeled', async () => {
    const golden = await makeConversation('adj-golden', 1, { golden: true });
    await putLabels(golden.id, [{ messageId: golden.turns[0], reviewerId: ann.id, value: 'END' }]);
    await expectNothingWritten(() => adjudicateTurn(lead, { messageId: golden.turns[0], value: 'END', note: 'x' }), InputError);
    const fresh = await makeConversation('adj-fresh', 1);
    await expectNothingWritten(() => adjudicateTurn(lead, { messageId: fresh.turns[0], value: 'END', note: 'x' }), InputError);
  });
});

describe('listAdjudicationQueue', () => {
  it('lists turns whose labels disagree, with every label, and drops them from "open" once adjudicated', async () => {
    const open = await listAdjudicationQueue(lead, { status: 'open' });
    expect(open.items.map((i) => i.messageId)).toEqual([conv.turns[0], conv.turns[2]]);
    expect(open.items[0].labels.map((l) => [l.email, l.value])).toEqual([
      ['ann@test', 'END'],
      ['ben@test', 'CONTINUE'],
    ]);
    expect(open.items[1].labels.find((l) => l.reviewerId === IMPORT_ID)?.isImport).toBe(true);
    expect(open.items[0].reasons).toEqual(['disagreement']);
    expect(await openQueueCount(lead)).toBe(2);

    await adjudicateTurn(lead, { messageId: conv.turns[0], value: 'CONTINUE', note: 'pay question' });
    expect((await listAdjudicationQueue(lead, { status: 'open' })).items.map((i) => i.messageId)).toEqual([conv.turns[2]]);
    const done = await listAdjudicationQueue(lead, { status: 'adjudicated' });
    expect(done.items).toHaveLength(1);
    expect(done.items[0].adjudication).toMatchObject({ value: 'CONTINUE', note: 'pay question', by: 'lead@test' });
    expect((await listAdjudicationQueue(lead, { status: 'all' })).items).toHaveLength(2);
    expect(await openQueueCount(lead)).toBe(1);
  });

  it('pages by message id and filters by conversation', async () => {
    const more = await makeConversation('adj-many', QUEUE_PAGE_SIZE + 3);
    await putLabels(
      more.id,
      more.turns.flatMap((messageId) => [
        { messageId, reviewerId: ann.id, value: 'END' as const },
        { messageId, reviewerId: ben.id, value: 'SCHEDULE' as const },
      ]),
    );
    const first = await listAdjudicationQueue(lead, { status: 'open', conversation: more.id });
    expect(first.items).toHaveLength(QUEUE_PAGE_SIZE);
    expect(first.nextAfter).toBe(first.items[QUEUE_PAGE_SIZE - 1].messageId);
    const second = await listAdjudicationQueue(lead, { status: 'open', conversation: more.id, after: first.nextAfter! });
    expect(second.items).toHaveLength(3);
    expect(second.nextAfter).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.messageId)).toEqual(more.turns);
  });

  it('is refused to a reviewer', async () => {
    await expect(listAdjudicationQueue(ann, { status: 'open' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(openQueueCount(ann)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
