// Shadow mode, the comparison and the playground against a real PostgreSQL and a real local
// trainer: the shadow is asked after the answer and never changes it (even when it hangs past
// its timeout), its decisions are logged beside the advisor's, a busy process drops and counts
// calls, the comparison's numbers match the labels, and the playground writes nothing.
import { examplesWithContent } from '../datasets/example-content';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { createRouteWrapper } from '../boundary/route-handler';
import { DEFAULT_PARAMS } from '../datasets/params';
import { ForbiddenError } from '../errors';
import { mcnemarTest } from '../evals/metrics';
import { launchFineTune } from '../finetunes/launch-fine-tune';
import { processFineTuneInProcess } from '../finetunes/worker-jobs';
import { FAST } from '../finetunes/test-fixtures';
import { labelTurn } from '../labeling/label-turn';
import { snapshotDatabase } from '../testing/db-snapshot';
import { admin, mlLead, otherLead, readyVersion, resetWithCorpus, reviewer, startTrainerForEvals, type TestTrainer } from '../evals/test-fixtures';
import { decisionResponseSchema } from './api-schema';
import { authenticateApiKey, createApiKey } from './api-keys';
import { decisionEndpoint, decisionEndpointOptions } from './decision-endpoint';
import { settleLiveIngest } from './live-ingest';
import { closeAdvisorPool } from './pool';
import { currentPromotion, promoteModel } from './promotions';
import { tryDecision } from './playground';
import { attachShadow, attachedShadow, detachShadow, promoteShadow } from './shadow';
import { compareShadow, listShadowPairs } from './shadow-comparison';
import { forgetShadowCache, settleShadowCalls } from './shadow-runner';

process.env.ADVISOR_MERGE = 'web';
process.env.ADVISOR_MERGE_DELAY_MS = '20';

let t: TestTrainer;
let fineTuned: string;
let key: string;
const CONTEXT = 4;
const INSTRUCTIONS = `${DEFAULT_PARAMS.instructions}\n(shadow tests)`;

// A provider that accepts the connection and never answers: the shadow's timeout must end it.
let hangServer: http.Server;
const hanging = new Set<http.ServerResponse>();

const route = createRouteWrapper({ resolveSession: async () => null, resolveApiKey: authenticateApiKey });
const post = route(decisionEndpointOptions, decisionEndpoint);
const noSegment = { params: Promise.resolve({}) };

const T0 = Date.parse('2026-11-20T15:00:00Z');
const msg = (sender: 'recruiter' | 'candidate', text: string, min: number) => ({ sender, text, sent_at: new Date(T0 + min * 60_000).toISOString() });
const live = (id: string, reply = 'Yes! Can I come in tomorrow at 10am for an interview?') => ({
  external_id: id,
  messages: [msg('recruiter', 'Hi Lee, warehouse associate role at $19/hr, days. Interested?', 0), msg('candidate', reply, 5)],
});

async function decideViaApi(conversation: object) {
  const res = await post(
    new Request('http://studio.test/api/v1/advisor/decisions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ conversation }),
    }),
    noSegment,
  );
  expect(res.status).toBe(200);
  return decisionResponseSchema.parse(await res.json());
}

/** The answer minus the per-request id: what the chatbot acts on. */
const advice = (d: { decision: unknown; confidence: unknown; acted: unknown; threshold: unknown; model: unknown; promotion: unknown; reason?: unknown }) => ({
  decision: d.decision,
  confidence: d.confidence,
  acted: d.acted,
  threshold: d.threshold,
  model: d.model,
  promotion: d.promotion,
  reason: d.reason,
});

beforeAll(async () => {
  hangServer = http.createServer((_req, res) => hanging.add(res));
  await new Promise<void>((r) => hangServer.listen(0, '127.0.0.1', r));
  process.env.OPENAI_API_KEY = 'sk-test-hang';
  process.env.OPENAI_BASE_URL = `http://127.0.0.1:${(hangServer.address() as AddressInfo).port}/v1`;

  t = await startTrainerForEvals();
  await resetWithCorpus();
  const version = await readyVersion('shadow', { context: CONTEXT, instructions: INSTRUCTIONS });
  const launched = await launchFineTune(
    mlLead,
    { datasetVersionId: version.id, provider: 'local', baseModel: 'local-base', nEpochs: 2, suffix: 'shadow' },
    { enqueue: false },
  );
  expect((await processFineTuneInProcess(launched.id, FAST)).status).toBe('succeeded');
  fineTuned = (await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } })).fineTunedModel!;
  key = (await createApiKey(admin, { name: 'chatbot' })).key;
  // The keyword rule is the advisor; the fine-tune is the candidate.
  await promoteModel(mlLead, { model: 'local-base', threshold: 0.7, note: 'rule' });
}, 180_000);

afterAll(async () => {
  for (const r of hanging) r.destroy();
  await new Promise((r) => hangServer?.close(r));
  await settleShadowCalls().catch(() => {});
  await settleLiveIngest().catch(() => {});
  await closeAdvisorPool();
  await t?.close();
});

describe('attaching a shadow', () => {
  it('only an ML lead or an admin attaches, detaches or promotes it; a refusal writes nothing', async () => {
    const before = await snapshotDatabase();
    await expect(attachShadow(reviewer, { model: fineTuned })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(detachShadow(reviewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(promoteShadow(reviewer, { shadowId: 1 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(attachShadow(mlLead, { model: fineTuned, timeoutMs: 5 })).rejects.toThrow(/at least 100 ms/);
    await expect(attachShadow(mlLead, { model: fineTuned, provider: 'openai' })).rejects.toThrow(/fine-tuned on local/);
    await expect(detachShadow(mlLead)).rejects.toThrow(/No shadow model is attached/);
    expect(await snapshotDatabase()).toEqual(before);
  });

  it("copies the candidate's own training prompt and transcript context, like a promotion; a new attach replaces the old", async () => {
    const first = await attachShadow(mlLead, { model: 'local-base', note: 'placeholder' });
    expect(first).toMatchObject({ model: 'local-base', instructions: DEFAULT_PARAMS.instructions, context: 'all', datasetVersionId: null });
    const s = await attachShadow(admin, { model: fineTuned, note: 'candidate' });
    expect(s).toMatchObject({ model: fineTuned, provider: 'local', instructions: INSTRUCTIONS, context: CONTEXT, timeoutMs: 2000, attachedById: admin.id });
    expect((await attachedShadow())!.id).toBe(s.id);
    expect((await db().advisorShadow.findUniqueOrThrow({ where: { id: first.id } })).detachedAt).toBeInstanceOf(Date);
  });
});

describe('shadow decisions', () => {
  it("are logged beside the advisor's decision after the answer, which is exactly the answer without a shadow", async () => {
    const s = (await attachedShadow())!;
    await detachShadow(mlLead);
    const alone = await decideViaApi(live('shadow-alone'));
    await settleShadowCalls();
    expect(await db().advisorShadowDecision.count()).toBe(0);

    await db().advisorShadow.update({ where: { id: s.id }, data: { detachedAt: null, detachedById: null } });
    forgetShadowCache();
    const withShadow = await decideViaApi(live('shadow-1'));
    expect(advice(withShadow)).toEqual(advice(alone));
    // The answer is out; the shadow's row is written afterwards.
    expect(await db().advisorShadowDecision.count({ where: { decisionId: BigInt(withShadow.decision_id) } })).toBe(0);
    await settleShadowCalls();
    const row = await db().advisorShadowDecision.findFirstOrThrow({ where: { decisionId: BigInt(withShadow.decision_id) } });
    expect(row).toMatchObject({ shadowId: s.id, model: fineTuned, fellBack: false });
    expect(row.decision).toMatch(/^(END|CONTINUE|SCHEDULE)$/);
    expect(row.confidence).toBeGreaterThan(0);
    // The same model on the same turn through the playground (its own prompt and context) agrees.
    const tried = await tryDecision(mlLead, { model: fineTuned, source: { kind: 'pasted', json: JSON.stringify(live('shadow-1')) } });
    expect({ decision: tried.decision, confidence: tried.confidence }).toEqual({ decision: row.decision, confidence: row.confidence });
    expect(tried.prompt[0].content).toBe(INSTRUCTIONS);
  });

  it('a shadow that hangs past its timeout changes nothing in the answer and is logged as a fallback', async () => {
    const baseline = await decideViaApi(live('shadow-hang-base'));
    const s = await attachShadow(mlLead, { model: 'gpt-hangs', provider: 'openai', timeoutMs: 300 });
    const d = await decideViaApi(live('shadow-hang'));
    expect(advice(d)).toEqual(advice(baseline));
    expect(await db().advisorShadowDecision.count({ where: { shadowId: s.id } })).toBe(0);
    await settleShadowCalls();
    const row = await db().advisorShadowDecision.findFirstOrThrow({ where: { shadowId: s.id } });
    expect(row).toMatchObject({ decisionId: BigInt(d.decision_id), decision: null, confidence: null, fellBack: true, fallbackReason: 'advisor_unavailable' });
    expect(row.fallbackDetail).toMatch(/no answer within 300 ms/);
    // The advisor's own log row is untouched by the shadow.
    expect(await db().advisorDecision.findUniqueOrThrow({ where: { id: BigInt(d.decision_id) } })).toMatchObject({ fellBack: false, model: 'local-base' });
  });

  it('a process too busy to queue a shadow call drops it and counts it', async () => {
    const s = (await attachedShadow())!; // the hanging one
    process.env.ADVISOR_SHADOW_CONCURRENCY = '1';
    process.env.ADVISOR_SHADOW_QUEUE = '0';
    try {
      const answers = await Promise.all([1, 2, 3].map((i) => decideViaApi(live(`shadow-busy-${i}`))));
      expect(answers.every((a) => a.model === 'local-base')).toBe(true);
      await settleShadowCalls();
      expect(await db().advisorShadowDecision.count({ where: { shadowId: s.id } })).toBe(2); // the earlier one and one of these
      expect((await db().advisorShadow.findUniqueOrThrow({ where: { id: s.id } })).droppedCalls).toBe(2);
      expect((await compareShadow(mlLead, s.id)).dropped).toBe(2);
    } finally {
      delete process.env.ADVISOR_SHADOW_CONCURRENCY;
      delete process.env.ADVISOR_SHADOW_QUEUE;
    }
  });
});

describe('comparison', () => {
  it('agreement, accuracy of each on majority-labeled live turns, and McNemar clustered by conversation', async () => {
    const s = await attachShadow(mlLead, { model: fineTuned });
    const ids = ['cmp-a', 'cmp-b', 'cmp-c'];
    const decided = [];
    for (const id of ids) decided.push(await decideViaApi(live(id, id === 'cmp-c' ? 'not interested, please stop texting' : undefined)));
    await settleShadowCalls();
    // The chatbot's next request carries the recruiter turn that was decided, so it can be labeled.
    for (const id of ids) await decideViaApi({ ...live(id), messages: [...live(id).messages, msg('recruiter', 'Thanks, noted.', 6)] });
    await settleShadowCalls();
    await settleLiveIngest();

    const pairs = await db().$queryRaw<{ decision_id: bigint; a: string | null; b: string | null; conversation_id: number; message_id: number | null }[]>`
      SELECT d.id AS decision_id, d.decision::text AS a, s.decision::text AS b, d.conversation_id, m.id AS message_id
      FROM advisor_shadow_decisions s JOIN advisor_decisions d ON d.id = s.decision_id
      LEFT JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position AND m.sender = 'recruiter'
      WHERE s.shadow_id = ${s.id} ORDER BY d.id`;
    expect(pairs).toHaveLength(6);
    const labeledTurns = pairs.filter((p) => p.message_id !== null);
    expect(labeledTurns).toHaveLength(3);

    // cmp-a: two reviewers say SCHEDULE (majority); cmp-b: a tie (left out); cmp-c: END.
    const [a, b, c] = labeledTurns;
    await labelTurn(reviewer, { messageId: a.message_id, value: 'SCHEDULE' });
    await labelTurn(mlLead, { messageId: a.message_id, value: 'SCHEDULE' });
    await labelTurn(otherLead, { messageId: a.message_id, value: 'END' });
    await labelTurn(reviewer, { messageId: b.message_id, value: 'SCHEDULE' });
    await labelTurn(mlLead, { messageId: b.message_id, value: 'CONTINUE' });
    await labelTurn(reviewer, { messageId: c.message_id, value: 'END' });

    const cmp = await compareShadow(reviewer, s.id);
    const both = pairs.filter((p) => p.a && p.b);
    expect(cmp).toMatchObject({
      pairs: 6,
      bothDecided: both.length,
      agreed: both.filter((p) => p.a === p.b).length,
      advisorModels: ['local-base'],
      dropped: 0,
    });
    expect(cmp.agreementRate).toBeCloseTo(both.filter((p) => p.a === p.b).length / both.length, 10);
    const truth = [
      { p: a, truth: 'SCHEDULE' },
      { p: c, truth: 'END' },
    ];
    expect(cmp.labeled).toMatchObject({
      n: 2,
      conversations: 2,
      tied: 1,
      advisor: { correct: truth.filter((x) => x.p.a === x.truth).length },
      shadow: { correct: truth.filter((x) => x.p.b === x.truth).length },
    });
    expect(cmp.labeled.mcnemar).toEqual(
      mcnemarTest(truth.map((x) => ({ aCorrect: x.p.a === x.truth, bCorrect: x.p.b === x.truth, cluster: x.p.conversation_id }))),
    );
    expect(cmp.labeled.mcnemar!.method).toBe('cluster-exact');

    const page = await listShadowPairs(reviewer, s.id);
    expect(page.rows.map((r) => r.decisionId)).toEqual(pairs.map((p) => Number(p.decision_id)).reverse());
  });

  it('promoting the shadow is a normal promotion of its model, and detaches it', async () => {
    const s = (await attachedShadow())!;
    const p = await promoteShadow(mlLead, { shadowId: s.id, threshold: 0.8 });
    expect(p).toMatchObject({ model: fineTuned, threshold: 0.8, instructions: INSTRUCTIONS, context: CONTEXT, note: `Promoted from shadow #${s.id}` });
    expect((await currentPromotion())!.id).toBe(p.id);
    expect(await attachedShadow()).toBeNull();
    await expect(promoteShadow(mlLead, { shadowId: s.id })).rejects.toThrow(/was detached/);
  });
});

describe('playground', () => {
  it('decides a stored conversation (by id or external id, at any recruiter turn) or a pasted one, and writes nothing', async () => {
    const conv = await db().conversation.findFirstOrThrow({
      where: { isGolden: false, isLive: false, labels: { some: {} } },
      include: { messages: { orderBy: { position: 'asc' } } },
      orderBy: { id: 'asc' },
    });
    const turn = conv.messages.find((m) => m.position > 0 && m.sender === 'recruiter')!;
    await settleShadowCalls();
    await settleLiveIngest();
    const before = await snapshotDatabase();

    const byExternal = await tryDecision(mlLead, {
      model: fineTuned,
      threshold: 0.5,
      source: { kind: 'stored', conversation: conv.externalId, turn: turn.position + 1 },
    });
    expect(byExternal).toMatchObject({
      model: fineTuned,
      threshold: 0.5,
      decision_id: null,
      conversation: { storedId: conv.id, decidedMessage: turn.position + 1 },
    });
    expect(byExternal.acted).toBe(byExternal.confidence! >= 0.5);
    expect(byExternal.humanLabels).not.toBeNull();
    // Rendered exactly as the dataset version rendered that turn for training.
    const row = await db().datasetExample.findFirst({ where: { messageId: turn.id } });
    if (row) {
      const [example] = await examplesWithContent(row.versionId, { split: row.split, after: row.ordinal - 1, limit: 1 });
      expect(byExternal.prompt[1].content).toBe(example.userContent);
    }
    const byId = await tryDecision(admin, {
      model: fineTuned,
      threshold: 0.5,
      source: { kind: 'stored', conversation: String(conv.id), turn: turn.position + 1 },
    });
    expect(byId.confidence).toBe(byExternal.confidence);
    const next = await tryDecision(mlLead, { model: 'local-base', source: { kind: 'stored', conversation: conv.externalId } });
    expect(next.conversation.decidedMessage).toBe(conv.messages.length + 1);
    expect(next.decision).toMatch(/^(END|CONTINUE|SCHEDULE)$/);
    const golden = await db().conversation.findFirst({ where: { isGolden: true } });
    if (golden) await tryDecision(mlLead, { model: fineTuned, source: { kind: 'stored', conversation: golden.externalId } });

    await settleShadowCalls();
    await settleLiveIngest();
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('bad pasted JSON names the JSON path of the problem; other bad input says what is wrong', async () => {
    const before = await snapshotDatabase();
    await expect(tryDecision(mlLead, { model: fineTuned, source: { kind: 'pasted', json: '{"external_id": "x", "messages": [' } })).rejects.toThrow(
      /^\$: not valid JSON: .*\(line 1, column \d+\)/,
    );
    const broken = {
      external_id: 'x',
      messages: [
        { sender: 'recruiter', text: 'hi' },
        { sender: 'bot', text: 'hello' },
      ],
    };
    await expect(tryDecision(mlLead, { model: fineTuned, source: { kind: 'pasted', json: JSON.stringify(broken) } })).rejects.toThrow(
      '$.messages[1].sender: sender must be "recruiter" or "candidate"',
    );
    await expect(tryDecision(mlLead, { model: fineTuned, source: { kind: 'pasted', json: JSON.stringify({ conversation: broken }) } })).rejects.toThrow(
      '$.conversation.messages[1].sender',
    );
    await expect(tryDecision(mlLead, { model: fineTuned, source: { kind: 'stored', conversation: 'no-such-conversation' } })).rejects.toThrow(
      /no conversation with id or external id "no-such-conversation"/,
    );
    const conv = await db().conversation.findFirstOrThrow({ where: { isGolden: false }, include: { messages: { orderBy: { position: 'asc' } } } });
    const candidateTurn = conv.messages.find((m) => m.sender === 'candidate')!;
    await expect(
      tryDecision(mlLead, { model: fineTuned, source: { kind: 'stored', conversation: conv.externalId, turn: candidateTurn.position + 1 } }),
    ).rejects.toThrow(/the candidate's; only recruiter turns are decisions/);
    await expect(tryDecision(reviewer, { model: fineTuned, source: { kind: 'stored', conversation: conv.externalId } })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await snapshotDatabase()).toEqual(before);
  });
});

describe('npm run advisor -- shadow', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/advisor.ts', ...args], { encoding: 'utf8', env: process.env, timeout: 60_000 });

  it('attaches and detaches, the last line JSON; bad flags and roles change nothing', async () => {
    const before = await snapshotDatabase();
    const bad = cli(['shadow', '--model', fineTuned, '--timeout-ms', 'soon', '--as', mlLead.email]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--timeout-ms: /);
    expect(cli(['shadow', '--as', mlLead.email]).stderr).toMatch(/--model: is required/);
    const refused = cli(['shadow', '--model', fineTuned, '--as', reviewer.email]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/ml_lead or admin/);
    expect(await snapshotDatabase()).toEqual(before);

    const r = cli(['shadow', '--model', fineTuned, '--as', mlLead.email]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    const s = (await attachedShadow())!;
    expect(out).toEqual({ shadow: s.id, model: fineTuned, provider: 'local', timeoutMs: 2000, attached: true });
    const d = cli(['shadow', '--detach', '--as', mlLead.email]);
    expect(d.status, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout.trim().split('\n').at(-1)!)).toMatchObject({ shadow: s.id, attached: false });
    expect(await attachedShadow()).toBeNull();
  }, 120_000); // spawns tsx CLIs: slow on a loaded machine
});
