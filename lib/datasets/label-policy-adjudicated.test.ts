// The `adjudicated` policy through the real build: final labels set in the adjudication queue
// win, other turns take their majority, and the version records which source decided each turn.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { adjudicateTurn } from '../agreement/adjudicate';
import { labelTurn } from '../labeling/label-turn';
import { parsePolicyText } from './params';
import {
  cand,
  conversation,
  createAndBuild,
  examplesOf,
  importConversations,
  mlLead,
  rec,
  resetWithUsers,
  reviewer,
  type VersionExclusions,
} from './test-fixtures';

const second: Actor = { id: 'u-rev2', email: 'rev2@test', name: 'Rob Reviewer', role: 'reviewer' };
const third: Actor = { id: 'u-rev3', email: 'rev3@test', name: 'Rae Reviewer', role: 'reviewer' };

let turns: number[] = [];

beforeAll(async () => {
  await resetWithUsers();
  for (const a of [second, third]) await db().user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  await importConversations('adjudicated.jsonl', [
    conversation('adj-a', [
      rec('Hi Dana, forklift role at $21/hr?', 0),
      cand('how many hours', 1),
      rec('40 a week, days. Want a call?', 2),
      cand('sure, tomorrow 3pm', 3),
      rec('Booked for 3pm tomorrow.', 4),
      cand('actually I took another job', 5),
      rec('Congrats, good luck!', 6),
      cand('thanks', 7),
      rec('Take care.', 8),
    ]),
  ]);
  const c = await db().conversation.findFirstOrThrow({ where: { externalId: 'adj-a' }, include: { messages: { orderBy: { position: 'asc' } } } });
  turns = c.messages.filter((m) => m.sender === 'recruiter' && m.position > 0).map((m) => m.id);
  const label = (a: Actor, i: number, value: 'END' | 'CONTINUE' | 'SCHEDULE') => labelTurn(a, { messageId: turns[i], value });
  // Turn 0: 2–1 majority CONTINUE, adjudicated SCHEDULE (the adjudication wins).
  await label(reviewer, 0, 'CONTINUE');
  await label(second, 0, 'CONTINUE');
  await label(third, 0, 'SCHEDULE');
  // Turn 1: tie, adjudicated SCHEDULE (an adjudication rescues a tie).
  await label(reviewer, 1, 'SCHEDULE');
  await label(second, 1, 'CONTINUE');
  // Turn 2: clear majority END, no adjudication.
  await label(reviewer, 2, 'END');
  await label(second, 2, 'END');
  await label(third, 2, 'CONTINUE');
  // Turn 3: tie, no adjudication: left out.
  await label(reviewer, 3, 'END');
  await label(second, 3, 'CONTINUE');
  await adjudicateTurn(mlLead, { messageId: turns[0], value: 'SCHEDULE', note: 'candidate proposed a time' });
  await adjudicateTurn(mlLead, { messageId: turns[1], value: 'SCHEDULE', note: 'asked for a call' });
});

describe('the adjudicated policy', () => {
  it('parses from the CLI text and is refused when misspelled', () => {
    expect(parsePolicyText('adjudicated')).toEqual({ kind: 'adjudicated' });
    expect(() => parsePolicyText('adjudicate')).toThrow(/latest, majority, adjudicated or agree:K/);
  });

  it('picks the adjudicated label, else the majority, and counts turns per source', async () => {
    const v = await createAndBuild('adjudicated-ds', { policy: { kind: 'adjudicated' }, split: { train: 1, validation: 0, test: 0 } });
    expect(v.status).toBe('ready');
    const byMessage = new Map((await examplesOf(v.id)).map((e) => [e.messageId, e.label]));
    expect([...byMessage.entries()].sort(([a], [b]) => a - b)).toEqual([
      [turns[0], 'SCHEDULE'],
      [turns[1], 'SCHEDULE'],
      [turns[2], 'END'],
    ]);
    const x = v.exclusions as unknown as VersionExclusions & { decidedBy: Record<string, number> };
    expect(x.chosen).toBe('adjudicated');
    expect(x.decidedBy).toEqual({ adjudication: 2, majority: 1, excluded: 1 });
    expect(x.policies.map((p) => p.policy)).toEqual(['latest', 'majority', 'agree:2', 'adjudicated']);
    expect(x.policies.find((p) => p.policy === 'adjudicated')).toMatchObject({ included: 3, excluded: { tie: 1 } });
    // Majority over the same labels: turn 0 CONTINUE, turn 2 END; turns 1 and 3 tie.
    expect(x.policies.find((p) => p.policy === 'majority')).toMatchObject({ included: 2, excluded: { tie: 2 } });
  });

  it('builds identical files from the same labels and adjudications, and other policies record no sources', async () => {
    const a = await createAndBuild('adjudicated-twice', { policy: { kind: 'adjudicated' } });
    const b = await createAndBuild('adjudicated-twice', { policy: { kind: 'adjudicated' } });
    expect(b.contentHash).toBe(a.contentHash);
    const majority = await createAndBuild('majority-ds', { policy: { kind: 'majority' } });
    const x = majority.exclusions as unknown as Record<string, unknown>;
    expect(x.decidedBy).toBeUndefined();
    expect((x.policies as { policy: string }[]).map((p) => p.policy)).toEqual(['latest', 'majority', 'agree:2']);
  });
});
