import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { listConversations } from '../conversations/list-conversations';
import { parseListParams } from '../conversations/list-params';
import { getConversationThread } from '../conversations/get-conversation';
import { labelTurn } from './label-turn';
import { undoLastChange } from './undo';
import { sequenceProblems, turnsWithSequenceProblems, type SequenceCheckMessage } from './sequence-checks';
import { SEQUENCE_PROBLEM_TURNS_SQL } from './sequence-checks-sql';
import { addConversation, alice, bob, freshConversation, lee, type FixtureMessage } from './turn-actions-fixture';
import type { LabelValueName } from './label-values';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importConversationsFile } from '../imports';

type Who = typeof alice;
// A scenario: messages with (minutes, sender) and, per recruiter message, labels by reviewer.
interface Scenario {
  messages: FixtureMessage[];
  labels: [index: number, who: Who, value: LabelValueName][];
}

const R = (text: string, at?: number | null): FixtureMessage => ({ sender: 'recruiter', text, at });
const C = (text: string, at?: number | null): FixtureMessage => ({ sender: 'candidate', text, at });

/** Stores the scenario through labelTurn; returns the turns the pure check and the SQL flag. */
async function check(s: Scenario, externalId = 'seq') {
  const f = await addConversation(s.messages, externalId);
  for (const [i, who, value] of s.labels) await labelTurn(who, { messageId: f.ids[i], value });
  const thread = (await getConversationThread(lee, f.conversationId))!;
  const input: SequenceCheckMessage[] = thread.messages.map((m) => ({
    ...m,
    labels: m.otherLabels.map((l) => ({ reviewerId: l.reviewerId, reviewerName: l.reviewerName, value: l.value })),
  }));
  const sql = await db().$queryRawUnsafe<{ message_id: number }[]>(`${SEQUENCE_PROBLEM_TURNS_SQL} ORDER BY 2`, [[f.conversationId]]);
  const counter = (await db().conversation.findUniqueOrThrow({ where: { id: f.conversationId } })).sequenceProblemTurns;
  const index = (id: number) => f.ids.indexOf(id);
  const problems = sequenceProblems(input);
  return {
    f,
    problems,
    rules: problems.map((p) => [index(p.messageId), p.rule, index(p.relatedMessageId)]),
    pure: turnsWithSequenceProblems(input).map(index),
    sql: sql.map((r) => index(r.message_id)),
    counter,
  };
}

beforeEach(async () => {
  await freshConversation([R('unused')], 'unused');
});

describe('after_end: a turn labeled after an END with no new candidate message', () => {
  it('flags a later turn of the same candidate segment, labeled by anyone', async () => {
    const r = await check({
      messages: [R('Hi'), C('STOP'), R('Understood, bye.'), R('Actually, are you free Tuesday?')],
      labels: [
        [2, alice, 'END'],
        [3, bob, 'SCHEDULE'],
      ],
    });
    expect(r.rules).toEqual([[3, 'after_end', 2]]);
    expect(r.problems[0].explanation).toMatch(/Turn 2 is labeled END \(Alice\) and the candidate wrote nothing after it, yet turn 3 is labeled too/);
    expect([r.pure, r.sql, r.counter]).toEqual([[3], [3], 1]);
  });

  it('does not flag when the candidate wrote again after the END, or the later turn has no label', async () => {
    const r = await check({
      messages: [R('Hi'), C('not interested'), R('Ok, bye.'), C('wait, what is the pay?'), R('$21/hr'), R('Still there?', 5)],
      labels: [
        [2, alice, 'END'],
        [4, alice, 'CONTINUE'],
      ],
    });
    expect([r.pure, r.sql, r.counter]).toEqual([[], [], 0]);
  });
});

describe('schedule_then_end: SCHEDULE right before END, no candidate reply between', () => {
  it('flags the END', async () => {
    const r = await check({
      messages: [R('Hi'), C('yes! I can do an interview'), R('Great, does Tuesday 10am work?', 3), R('Thanks, we will close your file.', 4)],
      labels: [
        [2, alice, 'SCHEDULE'],
        [3, bob, 'END'],
      ],
    });
    expect(r.rules).toEqual([[3, 'schedule_then_end', 2]]);
    expect([r.pure, r.sql, r.counter]).toEqual([[3], [3], 1]);
  });

  it('does not flag a SCHEDULE, two unanswered nudges and the close, nor an END after the candidate replied', async () => {
    const nudges = await check(
      {
        messages: [
          R('Hi', 0),
          C('yes, book me', 1),
          R('Tuesday 10am?', 2),
          R('Still interested?', 2000),
          R('Checking in again', 4000),
          R('Closing your file.', 6000),
        ],
        labels: [
          [2, alice, 'SCHEDULE'],
          [3, alice, 'CONTINUE'],
          [4, alice, 'CONTINUE'],
          [5, alice, 'END'],
        ],
      },
      'nudges',
    );
    expect([nudges.pure, nudges.sql, nudges.counter]).toEqual([[], [], 0]);
    const replied = await check(
      {
        messages: [R('Hi'), C('yes'), R('Tuesday 10am?'), C('actually I took another job'), R('Congrats, good luck!')],
        labels: [
          [2, alice, 'SCHEDULE'],
          [4, alice, 'END'],
        ],
      },
      'replied',
    );
    expect([replied.pure, replied.sql, replied.counter]).toEqual([[], [], 0]);
  });
});

describe('self_contradiction: one reviewer, two decisions on identical context', () => {
  it('flags back-to-back turns the same reviewer labeled differently', async () => {
    const r = await check({
      messages: [R('Hi', 0), C('how much does it pay', 10), R('$21/hr.', 11), R('Want to set up a call?', 12)],
      labels: [
        [2, alice, 'CONTINUE'],
        [3, alice, 'SCHEDULE'],
      ],
    });
    expect(r.rules).toEqual([[3, 'self_contradiction', 2]]);
    expect(r.problems[0]).toMatchObject({ reviewerId: alice.id });
    expect(r.problems[0].explanation).toMatch(/Alice labeled turn 2 CONTINUE and this turn SCHEDULE/);
    expect([r.pure, r.sql, r.counter]).toEqual([[3], [3], 1]);
  });

  it('does not flag two reviewers who disagree, a pause of an hour or more, an unknown time, or a candidate message between', async () => {
    const twoPeople = await check(
      {
        messages: [R('Hi', 0), C('pay?', 10), R('$21/hr.', 11), R('Call?', 12)],
        labels: [
          [2, alice, 'CONTINUE'],
          [3, bob, 'SCHEDULE'],
        ],
      },
      'two-people',
    );
    const pause = await check(
      {
        messages: [R('Hi', 0), C('pay?', 10), R('$21/hr.', 11), R('Closing your file.', 71)],
        labels: [
          [2, alice, 'CONTINUE'],
          [3, alice, 'END'],
        ],
      },
      'pause',
    );
    const unknownTime = await check(
      {
        messages: [R('Hi', null), C('pay?', null), R('$21/hr.', null), R('Closing your file.', null)],
        labels: [
          [2, alice, 'CONTINUE'],
          [3, alice, 'END'],
        ],
      },
      'unknown-time',
    );
    const candidateBetween = await check(
      {
        messages: [R('Hi', 0), C('pay?', 10), R('$21/hr.', 11), C('ok book me', 12), R('Tuesday?', 13)],
        labels: [
          [2, alice, 'CONTINUE'],
          [4, alice, 'SCHEDULE'],
        ],
      },
      'candidate-between',
    );
    for (const r of [twoPeople, pause, unknownTime, candidateBetween]) expect([r.pure, r.sql, r.counter]).toEqual([[], [], 0]);
  });

  it('a pause just under an hour is still identical context', async () => {
    const r = await check({
      messages: [R('Hi', 0), C('pay?', 10), R('$21/hr.', 11), R('Closing your file.', 70)],
      labels: [
        [2, alice, 'CONTINUE'],
        [3, alice, 'END'],
      ],
    });
    expect([r.pure, r.sql, r.counter]).toEqual([[3], [3], 1]);
  });
});

describe('the per-conversation counter and the list filter', () => {
  it('follows label changes and undo, and the "Sequence problems" filter lists exactly the conversations with one', async () => {
    const clean = await check({ messages: [R('Hi'), C('pay?'), R('$21/hr.')], labels: [[2, alice, 'CONTINUE']] }, 'clean');
    const r = await check(
      {
        messages: [R('Hi'), C('STOP'), R('Bye.'), R('One more thing')],
        labels: [
          [2, alice, 'END'],
          [3, alice, 'END'],
        ],
      },
      'problem',
    );
    // Two turns both END, back to back: after_end only (same values, no contradiction).
    expect(r.rules).toEqual([[3, 'after_end', 2]]);
    const filtered = async () => (await listConversations(lee, parseListParams({ filter: 'sequence_problems' }))).rows.map((x) => x.externalId);
    expect(await filtered()).toEqual(['problem']);
    await labelTurn(alice, { messageId: r.f.ids[2], value: 'CONTINUE' });
    // CONTINUE then END with nothing between: now a self-contradiction instead.
    expect((await db().conversation.findUniqueOrThrow({ where: { id: r.f.conversationId } })).sequenceProblemTurns).toBe(1);
    await labelTurn(alice, { messageId: r.f.ids[3], value: 'CONTINUE' });
    expect(await filtered()).toEqual([]);
    await undoLastChange(alice, { conversationId: r.f.conversationId });
    expect(await filtered()).toEqual(['problem']);
    expect(clean.counter).toBe(0);
  });
});

describe('imported labels', () => {
  it('an import keeps the counter too: for new conversations and for a re-import that changes labels', async () => {
    const conv = (endThenMore: boolean) => ({
      external_id: 'imported-seq',
      messages: [
        { sender: 'candidate', text: 'STOP', sent_at: '2026-10-01T15:00:00Z' },
        { sender: 'recruiter', text: 'Understood.', sent_at: '2026-10-01T15:01:00Z', label: 'END' },
        { sender: 'recruiter', text: 'One more thing…', sent_at: '2026-10-01T15:02:00Z', ...(endThenMore ? { label: 'CONTINUE' } : {}) },
      ],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq-import-'));
    const file = path.join(dir, 'seq.jsonl');
    const counter = async () => (await db().conversation.findUniqueOrThrow({ where: { externalId: 'imported-seq' } })).sequenceProblemTurns;
    fs.writeFileSync(file, JSON.stringify(conv(true)) + '\n');
    await importConversationsFile(file);
    // One turn, two problems: after an END, and one reviewer's END then CONTINUE back to back.
    expect(await counter()).toBe(1);
    fs.writeFileSync(file, JSON.stringify(conv(false)) + '\n');
    await importConversationsFile(file);
    expect(await counter()).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
