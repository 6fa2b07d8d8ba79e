// Human vs advisor against a real PostgreSQL: decisions logged and merged as the API does it,
// labels written by several reviewers through labelTurn, and the aggregate checked cell by
// cell — κ, the two rates (as classification.ts defines them), the multi-reviewer rule, the
// newest decision per turn and the drill-down into a cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { UnauthenticatedError } from '../errors';
import { admin, importConversations, resetWithUsers, reviewer } from '../datasets/test-fixtures';
import { classificationMetrics } from '../evals/metrics/classification';
import { LABELS } from '../evals/metrics/labels';
import { labelTurn } from '../labeling/label-turn';
import type { LabelValueName } from '../labeling/label-values';
import { logDecision } from './decision-log';
import { humanVsAdvisor, humanVsAdvisorCell } from './human-vs-advisor';
import { drainLiveInbox } from './live-ingest';
import { closeAdvisorPool } from './pool';
import { promoteModel } from './promotions';

const r2: Actor = { id: 'u-rev2', email: 'rev2@test', name: 'Ravi Reviewer', role: 'reviewer' };
const r3: Actor = { id: 'u-rev3', email: 'rev3@test', name: 'Rosa Reviewer', role: 'reviewer' };

const T0 = Date.parse('2026-11-20T15:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const conversation = (id: string) => ({
  external_id: id,
  candidate_name: 'Kim',
  job_title: 'Picker',
  messages: [
    { sender: 'recruiter' as const, text: 'Hi Kim, picker role at $18/hr. Interested?', sent_at: at(0) },
    { sender: 'candidate' as const, text: 'what shifts?', sent_at: at(3) },
    { sender: 'recruiter' as const, text: 'Days or nights, your pick.', sent_at: at(4) },
    { sender: 'candidate' as const, text: 'ok', sent_at: at(9) },
  ],
});

type Decided = { decision: LabelValueName | null; confidence?: number };
// Each turn: its decisions (oldest first; the newest counts) and its reviewers' labels.
const TURNS: Record<string, { decisions: Decided[]; labels: [Actor, LabelValueName][] }> = {
  t1: { decisions: [{ decision: 'END', confidence: 0.9 }], labels: [[reviewer, 'CONTINUE']] },
  t2: { decisions: [{ decision: 'END', confidence: 0.6 }], labels: [[reviewer, 'CONTINUE']] },
  t3: {
    decisions: [{ decision: 'SCHEDULE', confidence: 0.95 }],
    labels: [
      [reviewer, 'SCHEDULE'],
      [r2, 'SCHEDULE'],
      [r3, 'CONTINUE'],
    ],
  },
  t4: { decisions: [{ decision: null }], labels: [[reviewer, 'SCHEDULE']] },
  t5: { decisions: [{ decision: 'END', confidence: 0.8 }], labels: [[reviewer, 'END']] },
  t6: {
    decisions: [{ decision: 'CONTINUE', confidence: 0.9 }],
    labels: [
      [reviewer, 'END'],
      [r2, 'CONTINUE'],
    ],
  },
  t7: {
    decisions: [
      { decision: 'END', confidence: 0.9 },
      { decision: 'CONTINUE', confidence: 0.85 },
    ],
    labels: [
      [reviewer, 'CONTINUE'],
      [r2, 'CONTINUE'],
    ],
  },
  t8: { decisions: [{ decision: 'END', confidence: 0.99 }], labels: [] },
  t9: { decisions: [{ decision: 'CONTINUE', confidence: 0.75 }], labels: [[reviewer, 'SCHEDULE']] },
};

beforeAll(async () => {
  await resetWithUsers();
  for (const a of [r2, r3]) await db().user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  const ids = Object.keys(TURNS);
  await importConversations('hva.jsonl', ids.map(conversation));
  const promotion = await promoteModel(admin, { model: 'local-base', provider: 'local', threshold: 0.7, timeoutMs: 1000, note: 'test' });
  for (const id of ids) {
    for (const d of TURNS[id].decisions) {
      await logDecision({
        apiKeyId: null,
        externalId: id,
        position: 2,
        decision: d.decision,
        confidence: d.confidence ?? null,
        acted: d.decision !== null && (d.confidence ?? 0) >= 0.7,
        threshold: 0.7,
        model: 'local-base',
        promotionId: promotion.id,
        latencyMs: 5,
        modelLatencyMs: d.decision ? 2 : null,
        fallbackReason: d.decision ? null : 'advisor_unavailable',
        fallbackDetail: d.decision ? null : 'no answer within 1000 ms',
        conversation: conversation(id),
      });
    }
  }
  await drainLiveInbox();
  for (const id of ids) {
    const turn = await db().message.findFirstOrThrow({ where: { conversation: { externalId: id }, position: 2 } });
    for (const [who, value] of TURNS[id].labels) await labelTurn(who, { messageId: turn.id, value });
  }
});
afterAll(closeAdvisorPool);

describe('human vs advisor', () => {
  it('counts each labeled turn once, by its majority label, ties left out and counted', async () => {
    const h = await humanVsAdvisor(reviewer);
    expect(h.labeledTurns).toBe(8); // t8 has no label
    expect(h.ties).toBe(1); // t6: END vs CONTINUE
    expect(h.multiReviewer).toBe(2); // t3 (2 of 3 say SCHEDULE), t7
    expect(h.all.turns).toBe(7);
    expect(h.all.matrix).toEqual({
      END: { END: 1, CONTINUE: 0, SCHEDULE: 0, deferred: 0, fallback: 0 },
      CONTINUE: { END: 2, CONTINUE: 1, SCHEDULE: 0, deferred: 0, fallback: 0 }, // t7: its newest decision (CONTINUE)
      SCHEDULE: { END: 0, CONTINUE: 1, SCHEDULE: 1, deferred: 0, fallback: 1 },
    });
    expect(h.acted.matrix).toEqual({
      END: { END: 1, CONTINUE: 0, SCHEDULE: 0, deferred: 0, fallback: 0 },
      CONTINUE: { END: 1, CONTINUE: 1, SCHEDULE: 0, deferred: 1, fallback: 0 },
      SCHEDULE: { END: 0, CONTINUE: 1, SCHEDULE: 1, deferred: 0, fallback: 1 },
    });
  });

  it("computes agreement and Cohen's κ over labeled pairs, and the rates over every turn", async () => {
    const { all, acted } = await humanVsAdvisor(reviewer);
    // all: 6 pairs, 3 agree; humans E1 C3 S2, advisor E3 C2 S1 → pe = 11/36, κ = 7/25.
    expect(all.kappa.n).toBe(6);
    expect(all.kappa.observed).toBeCloseTo(0.5, 12);
    expect(all.kappa.expected).toBeCloseTo(11 / 36, 12);
    expect(all.kappa.kappa).toBeCloseTo(7 / 25, 12);
    expect(all.prematureEnd).toEqual({ count: 2, of: 6 });
    expect(all.prematureEndRate).toBeCloseTo(1 / 3, 12);
    expect(all.missedSchedule).toEqual({ count: 2, of: 3 });
    // acted: 5 pairs, 3 agree; humans E1 C2 S2, advisor E2 C2 S1 → pe = 8/25, κ = 7/17.
    expect(acted.kappa.n).toBe(5);
    expect(acted.kappa.kappa).toBeCloseTo(7 / 17, 12);
    expect(acted.prematureEnd).toEqual({ count: 1, of: 6 });
    expect(acted.missedSchedule).toEqual({ count: 2, of: 3 });
    expect(acted.missedScheduleRate).toBeCloseTo(2 / 3, 12);

    // The same rates as the eval metrics give, a fallback or deferral scored like an invalid answer.
    for (const view of [all, acted]) {
      const preds = LABELS.flatMap((truth) =>
        (['END', 'CONTINUE', 'SCHEDULE', 'deferred', 'fallback'] as const).flatMap((c) =>
          Array.from({ length: view.matrix[truth][c] }, () => ({ truth, predicted: c === 'deferred' || c === 'fallback' ? ('invalid' as const) : c })),
        ),
      );
      const m = classificationMetrics(preds);
      expect(view.prematureEnd).toEqual(m.prematureEnd);
      expect(view.missedSchedule).toEqual(m.missedSchedule);
    }
  });

  it('opens the turns of a cell (newest decision per turn), and of the ties', async () => {
    const premature = await humanVsAdvisorCell(reviewer, {}, { view: 'all', human: 'CONTINUE', column: 'END' });
    expect(premature.rows.map((r) => r.externalId).sort()).toEqual(['t1', 't2']);
    expect(premature.nextBefore).toBeNull();
    const t1 = premature.rows.find((r) => r.externalId === 't1')!;
    const turn = await db().message.findFirstOrThrow({ where: { conversation: { externalId: 't1' }, position: 2 } });
    expect(t1).toMatchObject({ messageId: turn.id, position: 2, decision: 'END', acted: true, votes: 'CONTINUE 1' });
    const deferred = await humanVsAdvisorCell(reviewer, {}, { view: 'acted', human: 'CONTINUE', column: 'deferred' });
    expect(deferred.rows.map((r) => r.externalId)).toEqual(['t2']);
    const ties = await humanVsAdvisorCell(reviewer, {}, { view: 'all', human: 'tie', column: 'any' });
    expect(ties.rows.map((r) => [r.externalId, r.votes])).toEqual([['t6', 'END 1 · CONTINUE 1']]);
    const majority = await humanVsAdvisorCell(reviewer, {}, { view: 'acted', human: 'SCHEDULE', column: 'SCHEDULE' });
    expect(majority.rows.map((r) => [r.externalId, r.votes])).toEqual([['t3', 'SCHEDULE 2 · CONTINUE 1']]);
  });

  it('follows the model filter, and is for signed-in users only', async () => {
    expect((await humanVsAdvisor(reviewer, { model: 'another-model' })).labeledTurns).toBe(0);
    expect((await humanVsAdvisor(reviewer, { model: 'local-base', from: '2000-01-01' })).labeledTurns).toBe(8);
    await expect(humanVsAdvisor(null)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(humanVsAdvisorCell(null, {}, { view: 'all', human: 'END', column: 'END' })).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
