// The advisor in production against a real PostgreSQL and a real local trainer: promotion and
// rollback, API keys, the decision API through the real route wrapper, the rendering shared
// with datasets, the fallback when the model hangs or fails, and every bad input leaving the
// database as it was.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { createRouteWrapper } from '../boundary/route-handler';
import type { Actor } from '../auth/session';
import { ForbiddenError } from '../errors';
import { launchFineTune } from '../finetunes/launch-fine-tune';
import { processFineTuneInProcess } from '../finetunes/worker-jobs';
import { FAST } from '../finetunes/test-fixtures';
import { importConversationsFile } from '../imports';
import { snapshotDatabase } from '../testing/db-snapshot';
import { admin, mlLead, readyVersion, resetWithCorpus, reviewer, setFaults, startTrainerForEvals, type TestTrainer } from '../evals/test-fixtures';
import { decisionResponseSchema, problemSchema } from './api-schema';
import { authenticateApiKey, createApiKey, hashKey, listApiKeys, revokeApiKey } from './api-keys';
import { decisionEndpoint, decisionEndpointOptions } from './decision-endpoint';
import { settleLiveIngest } from './live-ingest';
import { openApiDocument } from './openapi';
import { closeAdvisorPool } from './pool';
import { currentPromotion, promoteModel, rollbackToPromotion } from './promotions';
import { decisionTranscript } from './render';
import { DEFAULT_PARAMS } from '../datasets/params';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { examplesWithContent } from '../datasets/example-content';

// Merge live conversations in this process right after each decision (no worker runs here).
process.env.ADVISOR_MERGE = 'web';
process.env.ADVISOR_MERGE_DELAY_MS = '20';

let t: TestTrainer;
let fineTuned: string;
let versionId: number;
const CONTEXT = 6;
const INSTRUCTIONS = `${DEFAULT_PARAMS.instructions}\n(advisor tests)`;

// The production wrapper with the real key resolution; the session is whoever a test says.
let sessionActor: Actor | null = null;
const route = createRouteWrapper({ resolveSession: async () => sessionActor, resolveApiKey: authenticateApiKey });
const post = route(decisionEndpointOptions, decisionEndpoint);
const sessionOnly = route({ name: 'test.session', auth: 'session' }, async ({ actor }) => ({ who: actor.email }));
const noSegment = { params: Promise.resolve({}) };

function request(body: unknown, key: string | null, init: { raw?: string; headers?: Record<string, string> } = {}) {
  return new Request('http://studio.test/api/v1/advisor/decisions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
}

const T0 = Date.parse('2026-11-20T15:00:00Z');
const msg = (sender: 'recruiter' | 'candidate', text: string, min: number) => ({ sender, text, sent_at: new Date(T0 + min * 60_000).toISOString() });
const liveConversation = (id: string, extra: object[] = []) => ({
  external_id: id,
  candidate_name: 'Lee Live',
  job_title: 'Warehouse Associate',
  messages: [
    { ...msg('recruiter', 'Hi Lee, warehouse associate role at $19/hr, days. Interested?', 0), label: 'CONTINUE' },
    msg('candidate', 'Yes! Can I come in tomorrow at 10am for an interview?', 5),
    ...extra,
  ],
});

async function call(body: unknown, key: string | null, init?: Parameters<typeof request>[2]) {
  const res = await post(request(body, key, init), noSegment);
  return { res, json: (await res.json()) as Record<string, unknown> };
}

async function expectUnchanged(fn: () => Promise<void>) {
  await settleLiveIngest();
  const before = await snapshotDatabase();
  await fn();
  await settleLiveIngest();
  expect(await snapshotDatabase()).toEqual(before);
}

async function expectProblem(status: number, body: unknown, key: string | null, init?: Parameters<typeof request>[2]) {
  const { res, json } = await call(body, key, init);
  expect(res.status, JSON.stringify(json)).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return problemSchema.parse(json);
}

let key: string;

beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  const version = await readyVersion('advisor', { context: CONTEXT, instructions: INSTRUCTIONS });
  versionId = version.id;
  const launched = await launchFineTune(
    mlLead,
    { datasetVersionId: versionId, provider: 'local', baseModel: 'local-base', nEpochs: 2, suffix: 'advisor' },
    { enqueue: false },
  );
  const out = await processFineTuneInProcess(launched.id, FAST);
  expect(out.status).toBe('succeeded');
  fineTuned = (await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } })).fineTunedModel!;
  key = (await createApiKey(admin, { name: 'chatbot' })).key;
}, 180_000);

afterAll(async () => {
  await settleLiveIngest().catch(() => {});
  await closeAdvisorPool();
  await t?.close();
});

beforeEach(async () => {
  await setFaults(t, {});
});

describe('no advisor promoted yet', () => {
  it('answers 409 saying so, and writes nothing', async () => {
    await expectUnchanged(async () => {
      const p = await expectProblem(409, { conversation: liveConversation('live-none') }, key);
      expect(p.detail).toMatch(/No advisor is promoted yet/);
    });
  });
});

describe('promotion', () => {
  it('only an ML lead or an admin promotes; a reviewer is refused and nothing is written', async () => {
    await expectUnchanged(async () => {
      await expect(promoteModel(reviewer, { model: fineTuned })).rejects.toBeInstanceOf(ForbiddenError);
    });
  });

  it('copies the system prompt and transcript context of the dataset version the model was trained on', async () => {
    const p = await promoteModel(mlLead, { model: fineTuned, threshold: 0.7, note: 'first' });
    expect(p).toMatchObject({
      model: fineTuned,
      provider: 'local',
      threshold: 0.7,
      instructions: INSTRUCTIONS,
      context: CONTEXT,
      datasetVersionId: versionId,
      note: 'first',
      promotedById: mlLead.id,
    });
    expect(p.timeoutMs).toBe(2000);
    expect((await currentPromotion())!.id).toBe(p.id);
  });

  it('a base model gets the default prompt and transcript; a fine-tune named with the wrong provider is refused', async () => {
    await expectUnchanged(async () => {
      await expect(promoteModel(mlLead, { model: fineTuned, provider: 'openai' })).rejects.toThrow(/fine-tuned on local/);
      await expect(promoteModel(mlLead, { model: fineTuned, threshold: 1.5 })).rejects.toThrow(/between 0 and 1/);
    });
    const base = await promoteModel(admin, { model: 'local-base', threshold: 0.5 });
    expect(base).toMatchObject({ model: 'local-base', instructions: DEFAULT_PARAMS.instructions, context: 'all', datasetVersionId: null });
  });

  it('rollback is a new promotion copying an earlier one; history is kept', async () => {
    const [first] = await db().advisorPromotion.findMany({ orderBy: { id: 'asc' }, take: 1 });
    const back = await rollbackToPromotion(mlLead, first.id);
    expect(back).toMatchObject({ model: fineTuned, threshold: 0.7, instructions: INSTRUCTIONS, context: CONTEXT, copiedFromId: first.id });
    expect(back.id).toBeGreaterThan(first.id);
    expect(await db().advisorPromotion.count()).toBe(3);
    expect((await currentPromotion())!.id).toBe(back.id);
    await expect(rollbackToPromotion(reviewer, first.id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('rendering', () => {
  it('renders a live turn exactly as the dataset rendered that turn once it was in the conversation', async () => {
    const examples = await examplesWithContent(versionId, { limit: 40 });
    expect(examples.length).toBeGreaterThan(10);
    for (const ex of examples) {
      const messages = await db().message.findMany({ where: { conversationId: ex.conversationId }, orderBy: { position: 'asc' } });
      const before = messages.filter((m) => m.position < ex.position);
      const turn = messages.find((m) => m.position === ex.position)!;
      const conversation = { messages: before.map((m) => ({ sender: m.sender, text: m.text, ...(m.sentAt ? { sent_at: m.sentAt.toISOString() } : {}) })) };
      expect(decisionTranscript(conversation, CONTEXT, turn.sentAt ?? new Date())).toBe(ex.userContent);
    }
  });
});

describe('API keys', () => {
  it('stores only a hash; wrong and revoked keys are refused; only admins manage keys', async () => {
    const k = await createApiKey(admin, { name: 'temp' });
    expect(k.key).toMatch(/^eas_[a-z0-9]{10}_/);
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: k.id } });
    expect(row.keyHash).toBe(hashKey(k.key));
    expect(JSON.stringify(row)).not.toContain(k.key.split('_')[2]);
    expect(await authenticateApiKey(k.key)).toMatchObject({ keyId: k.id, keyName: 'temp' });
    expect(await authenticateApiKey(k.key.slice(0, -2) + 'xx')).toBeNull();
    expect(await authenticateApiKey('nonsense')).toBeNull();
    await expect(createApiKey(mlLead, { name: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listApiKeys(reviewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revokeApiKey(mlLead, k.id)).rejects.toBeInstanceOf(ForbiddenError);
    await revokeApiKey(admin, k.id);
    expect(await authenticateApiKey(k.key)).toBeNull();
    await expect(revokeApiKey(admin, k.id)).rejects.toThrow(/already revoked/);
    expect((await listApiKeys(admin)).find((r) => r.id === k.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it('rate-limits per key across concurrent requests (exactly the bucket size gets through), with Retry-After', async () => {
    const k = await createApiKey(admin, { name: 'slow', ratePerMinute: 5 });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => authenticateApiKey(k.key)));
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBe(5);
    await expectUnchanged(async () => {
      const p = await expectProblem(429, { conversation: liveConversation('live-rate') }, k.key);
      expect(p.detail).toMatch(/over its rate of 5 requests per minute/);
      const { res } = await call({ conversation: liveConversation('live-rate') }, k.key);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('POST /api/v1/advisor/decisions', () => {
  it('decides the next recruiter turn, answers exactly the documented shape, logs it and merges the conversation as live', async () => {
    const { res, json } = await call({ conversation: liveConversation('live-1') }, key);
    expect(res.status).toBe(200);
    const d = decisionResponseSchema.parse(json);
    const current = (await currentPromotion())!;
    expect(d).toMatchObject({ model: fineTuned, threshold: 0.7, promotion: current.id });
    expect(d.decision).toMatch(/^(END|CONTINUE|SCHEDULE)$/);
    expect(d.confidence).toBeGreaterThan(0);
    expect(d.acted).toBe(d.confidence! >= 0.7);
    await settleLiveIngest();
    const row = await db().advisorDecision.findUniqueOrThrow({ where: { id: BigInt(d.decision_id) } });
    const conv = await db().conversation.findUniqueOrThrow({ where: { externalId: 'live-1' }, include: { messages: true, labels: true } });
    expect(row).toMatchObject({
      externalId: 'live-1',
      position: 2,
      decision: d.decision,
      confidence: d.confidence,
      acted: d.acted,
      model: fineTuned,
      promotionId: current.id,
      fellBack: false,
      conversationId: conv.id,
    });
    expect(row.latencyMs).toBeGreaterThanOrEqual(row.modelLatencyMs!);
    expect(conv.isLive).toBe(true);
    expect(conv.messages).toHaveLength(2);
    expect(conv.labels).toHaveLength(0); // labels in the body are ignored
    expect(await db().liveConversationInbox.count()).toBe(0);

    // The chatbot's next call carries the recruiter message that was decided, and more.
    const { json: again } = await call(
      { conversation: liveConversation('live-1', [msg('recruiter', 'Booked: tomorrow 10am.', 6), msg('candidate', 'thanks', 8)]) },
      key,
    );
    decisionResponseSchema.parse(again);
    await settleLiveIngest();
    const after = await db().conversation.findUniqueOrThrow({ where: { externalId: 'live-1' }, include: { messages: true } });
    expect(after.messages).toHaveLength(4);
    expect(await db().advisorDecision.count({ where: { externalId: 'live-1', conversationId: conv.id } })).toBe(2);
  });

  it('answers at once with advisor_unavailable when the model hangs, and logs the fallback', async () => {
    const current = (await currentPromotion())!;
    await db().advisorPromotion.update({ where: { id: current.id }, data: { timeoutMs: 300 } });
    await setFaults(t, { hang: 1, paths: '^/v1/chat/completions$' });
    try {
      const t0 = performance.now();
      const { res, json } = await call({ conversation: liveConversation('live-hang') }, key);
      const elapsed = performance.now() - t0;
      expect(res.status).toBe(200);
      expect(decisionResponseSchema.parse(json)).toMatchObject({
        decision: null,
        confidence: null,
        acted: false,
        reason: 'advisor_unavailable',
        promotion: current.id,
      });
      expect(elapsed).toBeLessThan(1500);
      const row = await db().advisorDecision.findUniqueOrThrow({ where: { id: BigInt(json.decision_id as number) } });
      expect(row).toMatchObject({ fellBack: true, fallbackReason: 'advisor_unavailable', decision: null, acted: false });
      expect(row.fallbackDetail).toMatch(/no answer within 300 ms/);

      await setFaults(t, { '500': 1, paths: '^/v1/chat/completions$' });
      const failed = await call({ conversation: liveConversation('live-500') }, key);
      expect(decisionResponseSchema.parse(failed.json)).toMatchObject({ decision: null, acted: false, reason: 'advisor_unavailable' });
    } finally {
      await setFaults(t, {});
      await db().advisorPromotion.update({ where: { id: current.id }, data: { timeoutMs: 2000 } });
    }
  });

  it('the OpenAPI document describes the same request and response', () => {
    const doc = openApiDocument() as unknown as {
      openapi: string;
      components: { schemas: Record<string, { properties: Record<string, unknown>; additionalProperties?: boolean }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas.DecisionResponse.properties).sort()).toEqual([
      'acted',
      'confidence',
      'decision',
      'decision_id',
      'model',
      'promotion',
      'reason',
      'threshold',
    ]);
    expect(doc.components.schemas.DecisionResponse.additionalProperties).toBe(false);
    expect(doc.components.schemas.DecisionRequest.properties).toHaveProperty('conversation');
  });
});

describe('bad input and faults leave the database unchanged', () => {
  it('no key, a wrong key, a revoked key → 401', async () => {
    const revoked = await createApiKey(admin, { name: 'gone' });
    await revokeApiKey(admin, revoked.id);
    await expectUnchanged(async () => {
      for (const k of [null, 'eas_0000000000_' + 'x'.repeat(32), key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'), revoked.key]) {
        const p = await expectProblem(401, { conversation: liveConversation('live-401') }, k);
        expect(p.detail).toMatch(/valid API key/);
      }
    });
  });

  it('a browser session cannot call /api/v1, and a key cannot call a session route', async () => {
    sessionActor = reviewer;
    try {
      await expectUnchanged(async () => {
        await expectProblem(401, { conversation: liveConversation('live-session') }, null, { headers: { cookie: 'better-auth.session_token=abc' } });
      });
    } finally {
      sessionActor = null;
    }
    const res = await sessionOnly(new Request('http://studio.test/api/x', { headers: { authorization: `Bearer ${key}` } }), noSegment);
    expect(res.status).toBe(401);
  });

  it('malformed JSON and import-format violations → 400 naming the JSON path', async () => {
    await expectUnchanged(async () => {
      const bad = await expectProblem(400, null, key, { raw: '{"conversation": ' });
      expect(bad.detail).toMatch(/not valid JSON/);
      const conv = liveConversation('live-400');
      const broken = { conversation: { ...conv, messages: [conv.messages[0], { sender: 'bot', text: 'hi' }, { sender: 'candidate', text: '  ' }] } };
      const p = await expectProblem(400, broken, key);
      expect(p.errors).toEqual(
        expect.arrayContaining([
          { path: '$.conversation.messages[1].sender', message: 'sender must be "recruiter" or "candidate"' },
          { path: '$.conversation.messages[2].text', message: 'text is empty' },
        ]),
      );
      const extra = await expectProblem(400, { conversation: conv, debug: true }, key);
      expect(extra.errors).toEqual([{ path: '$.debug', message: 'unknown property' }]);
      const missing = await expectProblem(400, {}, key);
      expect(missing.errors?.[0].path).toBe('$.conversation');
    });
  });

  it('over 500 messages or 1 MB → 413', async () => {
    await expectUnchanged(async () => {
      const many = liveConversation(
        'live-413',
        Array.from({ length: 500 }, (_, i) => msg(i % 2 ? 'recruiter' : 'candidate', `message ${i}`, 10 + i)),
      );
      const p = await expectProblem(413, { conversation: many }, key);
      expect(p.detail).toMatch(/502 messages; .* at most 500/);
      const big = liveConversation('live-413b', [msg('candidate', 'x'.repeat(4000), 9)]);
      big.messages = Array.from({ length: 300 }, () => big.messages[2]);
      await expectProblem(413, { conversation: big }, key);
    });
  });

  it('a conversation of the golden set → 409; the golden conversation is not changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-golden-'));
    const file = path.join(dir, 'golden.jsonl');
    fs.writeFileSync(file, JSON.stringify(liveConversation('golden-x')) + '\n');
    await importConversationsFile(file, { golden: true, reviewerEmail: 'import@golden-test' });
    await expectUnchanged(async () => {
      const p = await expectProblem(409, { conversation: liveConversation('golden-x', [msg('candidate', 'changed', 9)]) }, key);
      expect(p.detail).toMatch(/golden set/);
    });
  });
});

describe('CLIs', () => {
  const cli = (script: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', `lib/cli/${script}.ts`, ...args], { encoding: 'utf8', env: process.env, timeout: 60_000 });

  it('npm run apikey -- create prints the key once as the last line, and it works', async () => {
    const r = cli('apikey', ['create', '--name', 'from-cli', '--as', admin.email]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out).toEqual({ name: 'from-cli', key: expect.stringMatching(/^eas_/) });
    expect(await authenticateApiKey(out.key)).toMatchObject({ keyName: 'from-cli' });
  });

  it('npm run advisor -- promote prints the promotion as the last line; bad flags and roles change nothing', async () => {
    await expectUnchanged(async () => {
      const bad = cli('advisor', ['promote', '--model', 'local-base', '--threshold', 'high', '--as', mlLead.email]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--threshold: /);
      const refused = cli('advisor', ['promote', '--model', 'local-base', '--as', reviewer.email]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/ml_lead or admin/);
    });
    const r = cli('advisor', ['promote', '--model', fineTuned, '--threshold', '0.8', '--note', 'cli', '--as', mlLead.email]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    const current = (await currentPromotion())!;
    expect(out).toEqual({ promotion: current.id, model: fineTuned, provider: 'local', threshold: 0.8 });
    expect(current).toMatchObject({ instructions: INSTRUCTIONS, context: CONTEXT, note: 'cli' });
  }, 120_000); // spawns tsx CLIs: slow on a loaded machine
});
