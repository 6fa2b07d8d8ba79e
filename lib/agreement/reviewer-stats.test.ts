import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { labelTurn } from '../labeling/label-turn';
import { adjudicateTurn } from './adjudicate';
import { reviewerStats } from './reviewer-stats';
import { ann, ben, lead, makeConversation, putLabels, resetWithPeople } from './test-fixtures';

let conv: Awaited<ReturnType<typeof makeConversation>>;

beforeEach(async () => {
  await resetWithPeople();
  conv = await makeConversation('stats-1', 6);
});

/** History rows for `reviewerId` at `now - secondsAgo`, as if labeled then. */
async function eventsAt(reviewerId: string, secondsAgo: number[], source = 'ui') {
  const now = (await db().$queryRawUnsafe<{ now: Date }[]>(`SELECT localtimestamp::timestamp(3) AS now`))[0].now.getTime();
  await db().labelEvent.createMany({
    data: secondsAgo.map((s, i) => ({
      messageId: conv.turns[i % conv.turns.length],
      conversationId: conv.id,
      reviewerId,
      toValue: 'END' as const,
      source,
      createdAt: new Date(now - s * 1000),
    })),
  });
}

describe('reviewerStats', () => {
  it('counts turns labeled today and this week from history, one per turn', async () => {
    await labelTurn(ann, { messageId: conv.turns[0], value: 'END' });
    await labelTurn(ann, { messageId: conv.turns[0], value: 'CONTINUE' }); // a change: still one turn
    await labelTurn(ann, { messageId: conv.turns[1], value: 'SCHEDULE' });
    const { rows } = await reviewerStats(lead);
    const a = rows.find((r) => r.id === ann.id)!;
    expect(a.today).toBe(2);
    expect(a.week).toBe(2);
    // Import sources and people who never labeled are not listed.
    expect(rows.map((r) => r.email)).toEqual(['ann@test']);
  });

  it('takes the median gap between consecutive label events, leaving out pauses over 5 minutes and imports', async () => {
    // Gaps: 10 s, 20 s, then a 10-minute break (left out), then 4 s; an import row in the middle is not work.
    await eventsAt(ben.id, [1000, 990, 970, 370, 366]);
    await eventsAt(ben.id, [980], 'import');
    const b = (await reviewerStats(lead)).rows.find((r) => r.id === ben.id)!;
    expect(b.paceSamples).toBe(3);
    expect(b.medianSeconds).toBeCloseTo(10, 6);
  });

  it('measures agreement with the adjudicated label', async () => {
    await putLabels(conv.id, [
      { messageId: conv.turns[0], reviewerId: ann.id, value: 'END' },
      { messageId: conv.turns[0], reviewerId: ben.id, value: 'CONTINUE' },
      { messageId: conv.turns[1], reviewerId: ann.id, value: 'SCHEDULE' },
      { messageId: conv.turns[1], reviewerId: ben.id, value: 'END' },
    ]);
    await adjudicateTurn(lead, { messageId: conv.turns[0], value: 'END', note: 'STOP' });
    await adjudicateTurn(lead, { messageId: conv.turns[1], value: 'SCHEDULE', note: 'proposed a time' });
    const { rows } = await reviewerStats(lead);
    expect(rows.find((r) => r.id === ann.id)).toMatchObject({ adjudicatedTurns: 2, agreeWithAdjudicated: 2, adjudicatedAgreement: 1 });
    expect(rows.find((r) => r.id === ben.id)).toMatchObject({ adjudicatedTurns: 2, agreeWithAdjudicated: 0, adjudicatedAgreement: 0 });
  });

  it('shows a reviewer only their own row', async () => {
    await labelTurn(ann, { messageId: conv.turns[0], value: 'END' });
    await labelTurn(ben, { messageId: conv.turns[0], value: 'END' });
    const { rows, nextAfter } = await reviewerStats(ben, { after: '' });
    expect(rows.map((r) => r.id)).toEqual([ben.id]);
    expect(nextAfter).toBeNull();
  });
});
