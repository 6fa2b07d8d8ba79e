// The progress bar's maintained totals agree with a full count after every kind of write: an
// import, label writes from several reviewers at once, an unlabel, a re-import that adds turns,
// a deleted conversation; folding changes no value.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { labelTurn } from '../labeling/label-turn';
import { importSampleCorpus, mlLead, resetWithUsers, reviewer } from '../datasets/test-fixtures';
import { overallProgress } from './get-conversation';
import { foldAllTotals } from './progress-totals';

async function counted(actor: Actor): Promise<{ total: number; mine: number }> {
  const [row] = await db().$queryRaw<{ total: bigint | null; mine: bigint | null }[]>`
    SELECT (SELECT sum(recruiter_turns) FROM conversations WHERE NOT is_golden) AS total,
           (SELECT sum(labeled_turns) FROM conversation_reviewers WHERE reviewer_id = ${actor.id}) AS mine`;
  return { total: Number(row.total ?? 0), mine: Number(row.mine ?? 0) };
}

async function expectAgree(...actors: Actor[]) {
  for (const a of actors) expect(await overallProgress(a)).toEqual(await counted(a));
}

describe('labeling progress totals', () => {
  beforeAll(async () => {
    await resetWithUsers();
  });

  it('start at zero after a reset, and follow an import', async () => {
    expect(await overallProgress(reviewer)).toEqual({ total: 0, mine: 0 });
    await importSampleCorpus(120, 11);
    const p = await overallProgress(reviewer);
    expect(p.total).toBeGreaterThan(0);
    await expectAgree(reviewer, mlLead);
  });

  it('follow label writes of two reviewers at once, unlabels and folds', async () => {
    const turns = await db().message.findMany({ where: { sender: 'recruiter', position: { gt: 0 }, labels: { none: {} } }, take: 40, orderBy: { id: 'asc' } });
    const lead: Actor = { ...mlLead };
    await Promise.all(turns.map((t, i) => labelTurn(i % 2 ? reviewer : lead, { messageId: t.id, value: i % 3 ? 'CONTINUE' : 'END' })));
    await Promise.all(turns.slice(0, 20).map((t) => labelTurn(reviewer, { messageId: t.id, value: 'SCHEDULE' })));
    await expectAgree(reviewer, lead);
    expect((await overallProgress(reviewer)).mine).toBeGreaterThanOrEqual(20);
    await labelTurn(reviewer, { messageId: turns[1].id, value: null });
    await expectAgree(reviewer, lead);
    const before = await db().labelingTotal.count();
    await foldAllTotals();
    expect(await db().labelingTotal.count()).toBeLessThan(before);
    await expectAgree(reviewer, lead);
  });

  it('follow a re-import that adds turns, and a deleted conversation', async () => {
    await importSampleCorpus(140, 11, 'sample-grown.jsonl');
    await expectAgree(reviewer, mlLead);
    const c = await db().conversation.findFirstOrThrow({ where: { reviewers: { some: { reviewerId: reviewer.id } } } });
    await db().conversation.delete({ where: { id: c.id } });
    await expectAgree(reviewer, mlLead);
  });
});
