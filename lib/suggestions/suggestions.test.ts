// Suggestions against a real PostgreSQL and a real local trainer: requested by the import in its
// own transaction, computed by the worker's job for every unlabeled decision turn (the newest
// fine-tune before any promotion, then the advisor), never labels until accepted, accepted with
// history source "suggestion", recomputed for a new advisor and for a re-imported thread, and the
// conversations list ordered by the least confident open suggestion.
import type { JobWithMetadata } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteModel, rollbackToPromotion } from '../advisor/promotions';
import { importConversations, conversation, rec, cand } from '../datasets/test-fixtures';
import { db } from '../db';
import { promptMessages } from '../datasets/example-line';
import { renderTranscript } from '../datasets/transcript';
import { askForLabel } from '../evals/ask-label';
import { mlLead, readyVersion, resetWithCorpus, reviewer, startTrainerForEvals, type TestTrainer } from '../evals/test-fixtures';
import { launchFineTune } from '../finetunes/launch-fine-tune';
import { providerClient } from '../finetunes/providers';
import { FAST } from '../finetunes/test-fixtures';
import { processFineTuneInProcess } from '../finetunes/worker-jobs';
import { stopQueue } from '../jobs/queue';
import { labelTurn, LabelRuleError } from '../labeling/label-turn';
import { listConversations } from '../conversations/list-conversations';
import { listParamsSchema } from '../conversations/list-params';
import { acceptSuggestion } from './accept';
import { processSuggestionRequests } from './compute';
import { suggestionsForConversation } from './queries';
import { backfillSuggestions, pendingRequests } from './requests';
import { currentSuggester } from './suggester';
import { handleSuggestionsJob, sweepSuggestions } from './worker-job';

let t: TestTrainer;
let fineTuned: string;
let jobId: number;

beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  const version = await readyVersion('suggestions', { context: 8 });
  const launched = await launchFineTune(
    mlLead,
    { datasetVersionId: version.id, provider: 'local', baseModel: 'local-base', nEpochs: 2, suffix: 'sugg' },
    { enqueue: false },
  );
  expect((await processFineTuneInProcess(launched.id, FAST)).status).toBe('succeeded');
  jobId = launched.id;
  fineTuned = (await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } })).fineTunedModel!;
}, 180_000);

afterAll(async () => {
  await stopQueue();
  await t?.close();
});

/** A pg-boss job as the worker hands it over. */
function fakeJob(data: unknown = { reason: 'sweep' }): JobWithMetadata<unknown> {
  return { id: 'test', name: 'suggestions', data, signal: new AbortController().signal, retryCount: 0, retryLimit: 5 } as unknown as JobWithMetadata<unknown>;
}

/** Every unlabeled decision turn: recruiter messages after the first with no label by anyone. */
async function unlabeledDecisionTurns() {
  return db().$queryRaw<{ id: number; conversation_id: number }[]>`
    SELECT m.id, m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.sender = 'recruiter' AND m.position > 0 AND NOT c.is_golden AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id)
    ORDER BY m.id`;
}

async function drain() {
  for (;;) {
    const r = await processSuggestionRequests({ concurrency: 8 });
    if (r.remaining === 0) return r;
  }
}

describe('the suggestions job', () => {
  it('before any promotion: the newest fine-tune suggests every unlabeled decision turn, rendered as its training data was, and no label changes', async () => {
    // The seeding import asked for suggestions in its own transaction.
    expect(await pendingRequests()).toBeGreaterThan(0);
    const suggester = await currentSuggester();
    expect(suggester).toMatchObject({ key: `fine-tune:${jobId}`, model: fineTuned, fineTuneJobId: jobId, promotionId: null, context: 8 });
    const labelsBefore = await db().label.count();
    const eventsBefore = await db().labelEvent.count();

    await sweepSuggestions(); // the worker's check: a new suggester gets its backfill once
    expect(await db().suggestionBackfill.count()).toBe(1);
    await sweepSuggestions();
    expect(await db().suggestionBackfill.count()).toBe(1);
    await handleSuggestionsJob(fakeJob());
    await drain();

    const open = await unlabeledDecisionTurns();
    const stored = await db().turnSuggestion.findMany({ orderBy: { messageId: 'asc' } });
    expect(open.length).toBeGreaterThan(50);
    expect(stored.map((s) => s.messageId)).toEqual(open.map((m) => m.id));
    for (const s of stored) {
      expect(s).toMatchObject({ model: fineTuned, provider: 'local', fineTuneJobId: jobId, promotionId: null });
      expect(['END', 'CONTINUE', 'SCHEDULE']).toContain(s.value);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    // Suggestions are not labels.
    expect(await db().label.count()).toBe(labelsBefore);
    expect(await db().labelEvent.count()).toBe(eventsBefore);
    expect(await pendingRequests()).toBe(0);

    // The same question the model was trained on: the fine-tune's instructions, context 8.
    const s = stored[0];
    const thread = await db().message.findMany({ where: { conversationId: s.conversationId }, orderBy: { position: 'asc' } });
    const k = thread.findIndex((m) => m.id === s.messageId);
    const { client } = await providerClient('local');
    const direct = await askForLabel(client, {
      model: fineTuned,
      messages: promptMessages(suggester!.instructions, renderTranscript(thread, k, 8)),
    });
    expect(direct.predicted).toBe(s.value);
    expect(direct.confidence).toBeCloseTo(s.confidence!, 5);

    // The page shows them; the conversations keep the least confident open one.
    const shown = await suggestionsForConversation(reviewer, s.conversationId);
    expect(shown[s.messageId]).toMatchObject({ model: fineTuned, by: 'fine-tune', value: s.value });
    const c = await db().conversation.findUniqueOrThrow({ where: { id: s.conversationId } });
    const mins = stored.filter((x) => x.conversationId === s.conversationId).map((x) => x.confidence!);
    expect(c.minSuggestionConfidence).toBeCloseTo(Math.min(...mins), 9);
  });

  it('a new promotion recomputes every open turn with the advisor; a rollback finds its suggestions still there', async () => {
    const p = await promoteModel(mlLead, { model: 'local-base', provider: 'local' });
    await sweepSuggestions();
    expect(await pendingRequests()).toBeGreaterThan(0);
    await drain();
    const open = await unlabeledDecisionTurns();
    const byBase = await db().turnSuggestion.findMany({ where: { model: 'local-base' }, orderBy: { messageId: 'asc' } });
    expect(byBase.map((s) => s.messageId)).toEqual(open.map((m) => m.id));
    expect(byBase.every((s) => s.promotionId === p.id && s.fineTuneJobId === null)).toBe(true);
    const one = byBase[0];
    expect((await suggestionsForConversation(reviewer, one.conversationId))[one.messageId]).toMatchObject({ model: 'local-base', by: 'advisor' });
    // The order follows the advisor's confidences now.
    const c = await db().conversation.findUniqueOrThrow({ where: { id: one.conversationId } });
    expect(c.minSuggestionConfidence).toBeCloseTo(Math.min(...byBase.filter((x) => x.conversationId === one.conversationId).map((x) => x.confidence!)), 9);

    // Promote the fine-tune, then roll back to local-base: nothing new to ask for local-base.
    await promoteModel(mlLead, { model: fineTuned, provider: 'local' });
    await sweepSuggestions();
    await drain();
    const before = await db().turnSuggestion.count();
    await rollbackToPromotion(mlLead, p.id);
    await sweepSuggestions();
    const r = await drain();
    expect(r.computed).toBe(0);
    expect(await db().turnSuggestion.count()).toBe(before);
  });
});

describe('accepting a suggestion', () => {
  it('writes the reviewer’s label with history source "suggestion" and takes the turn out of the uncertainty order', async () => {
    const s = await db().turnSuggestion.findFirstOrThrow({ where: { model: 'local-base' }, orderBy: { confidence: 'asc' } });
    const wrong = (['END', 'CONTINUE', 'SCHEDULE'] as const).find((v) => v !== s.value)!;
    await expect(acceptSuggestion(reviewer, { messageId: s.messageId, value: wrong })).rejects.toBeInstanceOf(LabelRuleError);
    expect(await db().label.count({ where: { messageId: s.messageId } })).toBe(0);

    const r = await acceptSuggestion(reviewer, { messageId: s.messageId, value: s.value });
    expect(r).toMatchObject({ messageId: s.messageId, value: s.value, changed: true });
    const label = await db().label.findUniqueOrThrow({ where: { messageId_reviewerId: { messageId: s.messageId, reviewerId: reviewer.id } } });
    expect(label.value).toBe(s.value);
    const events = await db().labelEvent.findMany({ where: { messageId: s.messageId } });
    expect(events).toMatchObject([{ reviewerId: reviewer.id, fromValue: null, toValue: s.value, source: 'suggestion' }]);
    // A labeled turn is no longer open: the conversation's lowest open confidence moves past it.
    const c = await db().conversation.findUniqueOrThrow({ where: { id: s.conversationId } });
    const stillOpen = await db().turnSuggestion.findMany({ where: { conversationId: s.conversationId, model: 'local-base', messageId: { not: s.messageId } } });
    const openIds = new Set((await unlabeledDecisionTurns()).map((m) => m.id));
    const expected = Math.min(...stillOpen.filter((x) => openIds.has(x.messageId)).map((x) => x.confidence!));
    expect(c.minSuggestionConfidence).toBe(expected);
    // A label typed by hand stays "ui".
    await labelTurn(reviewer, { messageId: s.messageId, value: null });
    expect((await db().labelEvent.findMany({ where: { messageId: s.messageId }, orderBy: { id: 'asc' } })).map((e) => e.source)).toEqual(['suggestion', 'ui']);
  });
});

describe('a re-import', () => {
  it('drops the suggestions of turns after a changed message and asks again; an unchanged re-import asks nothing new of the model', async () => {
    const thread = [
      rec('Hi Dana, forklift role at $21/hr, days. Interested?', 0),
      cand('maybe, what are the hours?', 5),
      rec('6am to 2:30pm, Monday to Friday.', 7),
      cand('ok sounds good', 20),
      rec('Great! Can you come in Thursday at 10?', 22),
    ];
    await importConversations('reimport.jsonl', [conversation('sugg-reimport', thread)]);
    const conv = await db().conversation.findUniqueOrThrow({ where: { externalId: 'sugg-reimport' } });
    expect(conv.minSuggestionConfidence).toBe(Infinity); // nothing to suggest yet: the minimum of nothing
    await drain();
    expect((await db().conversation.findUniqueOrThrow({ where: { id: conv.id } })).minSuggestionConfidence).toBeLessThan(1.000001);
    const before = await db().turnSuggestion.findMany({ where: { conversationId: conv.id }, include: { message: true }, orderBy: { messageId: 'asc' } });
    expect(before.map((s) => s.message.position)).toEqual([2, 4]);

    // Same file again: nothing changed, nothing is asked.
    await importConversations('reimport.jsonl', [conversation('sugg-reimport', thread)]);
    expect((await drain()).computed).toBe(0);

    // The candidate's second answer changes: turn 4's prompt changed, turn 2's did not.
    const changed = [...thread];
    changed[3] = cand('actually I found another job, sorry', 20);
    await importConversations('reimport.jsonl', [conversation('sugg-reimport', changed)]);
    const kept = await db().turnSuggestion.findMany({ where: { conversationId: conv.id } });
    expect(kept.map((s) => s.id)).toEqual([before[0].id]);
    expect(await pendingRequests()).toBe(1);
    expect((await drain()).computed).toBe(1);
    expect(await db().turnSuggestion.count({ where: { conversationId: conv.id } })).toBe(2);
  });

  it('a failed import asks for nothing', async () => {
    const before = await pendingRequests();
    await expect(importConversations('bad.jsonl', [conversation('sugg-bad', [rec('hi', 0), { sender: 'robot', text: 'x' } as never])])).rejects.toThrow();
    expect(await pendingRequests()).toBe(before);
    expect(await db().conversation.count({ where: { externalId: 'sugg-bad' } })).toBe(0);
  });
});

describe('the conversations list by uncertainty', () => {
  it('sort=uncertain walks every conversation least confident first, those with nothing to suggest last, page by page', async () => {
    const all = await db().$queryRaw<
      { id: number; v: number }[]
    >`SELECT id, min_suggestion_confidence AS v FROM conversations ORDER BY min_suggestion_confidence, id`;
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listConversations(reviewer, listParamsSchema.parse({ sort: 'uncertain', ...(after ? { after } : {}) }), 7);
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(all.map((r) => r.id));
    expect(all.some((r) => !Number.isFinite(r.v))).toBe(true);
    expect(all[0].v).toBeLessThan(1);

    // Back one page from the third page gives the second.
    const p1 = await listConversations(reviewer, listParamsSchema.parse({ sort: 'uncertain' }), 7);
    const p2 = await listConversations(reviewer, listParamsSchema.parse({ sort: 'uncertain', after: p1.nextCursor! }), 7);
    const p3 = await listConversations(reviewer, listParamsSchema.parse({ sort: 'uncertain', after: p2.nextCursor! }), 7);
    const back = await listConversations(reviewer, listParamsSchema.parse({ sort: 'uncertain', before: p3.prevCursor! }), 7);
    expect(back.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    expect(p1.rows[0].minSuggestionConfidence).toBeCloseTo(all[0].v, 9);

    // The filter: only conversations with an open suggestion below the advisor's threshold.
    const unsure = await listConversations(reviewer, listParamsSchema.parse({ filter: 'unsure', sort: 'uncertain' }), 500);
    const threshold = (await db().advisorPromotion.findFirstOrThrow({ orderBy: { id: 'desc' } })).threshold;
    expect(unsure.rows.map((r) => r.id)).toEqual(all.filter((r) => r.v < threshold).map((r) => r.id));
  });

  it('uses the (min_suggestion_confidence, id) index, not a sort of every conversation', async () => {
    await db().$executeRawUnsafe('ANALYZE conversations');
    const plan = await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off'); // 120 rows: make the planner show what it does at 100k
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT id FROM conversations c WHERE (c.min_suggestion_confidence, c.id) > (0.5::float8, 10) ORDER BY c.min_suggestion_confidence, c.id LIMIT 51`,
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using conversations_min_suggestion_confidence_id_idx/);
    expect(text).not.toMatch(/Sort/);
  });
});

describe('the CLI entry', () => {
  it('backfill is for ML leads and admins', async () => {
    await expect(backfillSuggestions(reviewer)).rejects.toThrow(/ml_lead or admin/);
    const r = await backfillSuggestions(mlLead);
    expect(r).toMatchObject({ model: 'local-base' });
    expect(r!.requested).toBeGreaterThan(0);
    expect((await drain()).computed).toBe(0); // everything open already has the advisor's suggestion
  });
});

describe('live decision traffic', () => {
  it('comes first: while the decision API is busy the job waits instead of asking the model, then catches up', async () => {
    const [turn] = await db().$queryRaw<{ id: number; conversation_id: number }[]>`
      SELECT ts.message_id AS id, ts.conversation_id FROM turn_suggestions ts ORDER BY ts.message_id LIMIT 1`;
    await db().$executeRaw`DELETE FROM turn_suggestions WHERE conversation_id = ${turn.conversation_id}`;
    await db().$executeRaw`INSERT INTO suggestion_requests (conversation_id, requested_at) VALUES (${turn.conversation_id}, clock_timestamp())`;
    const promotion = await db().advisorPromotion.findFirstOrThrow({ orderBy: { id: 'desc' } });
    // 200 decisions in the last second: 40/s over the five-second window, above the default 20/s.
    await db().$executeRaw`
      INSERT INTO advisor_decisions (external_id, position, decision, confidence, acted, threshold, model, promotion_id, latency_ms)
      SELECT 'live-' || g, 1, 'CONTINUE', 0.9, true, 0.7, ${promotion.model}, ${promotion.id}, 5 FROM generate_series(1, 200) g`;
    try {
      const busy = await processSuggestionRequests({ budgetMs: 2_500 });
      expect(busy.yielded).toBeGreaterThan(0);
      expect(busy.computed).toBe(0);
      expect(busy.remaining).toBe(1);
      process.env.SUGGESTIONS_YIELD_DECISIONS_PER_S = '0'; // 0: never wait
      const after = await processSuggestionRequests({ budgetMs: 30_000 });
      expect(after.yielded ?? 0).toBe(0);
      expect(after.computed).toBeGreaterThan(0);
      expect(after.remaining).toBe(0);
    } finally {
      delete process.env.SUGGESTIONS_YIELD_DECISIONS_PER_S;
      await db().$executeRaw`DELETE FROM advisor_decisions WHERE external_id LIKE 'live-%'`;
    }
  });
});
