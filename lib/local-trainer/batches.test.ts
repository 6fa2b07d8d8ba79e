// The Batch API as the official `openai` SDK sees it: a batch's answers are the answers the same
// requests get one by one, refused requests land in the error file with the endpoint's status,
// a malformed input line fails the batch before anything is answered, a cancel keeps what was
// answered, and the HTTP server keeps answering while a large batch runs. Real HTTP, no mocks.
import fs from 'node:fs';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleExamples } from '../seed/examples';
import type { LocalTrainer } from './server';
import { startLocalTrainer } from './server';
import { clientFor, startTestTrainer, tempDataDir } from './testing/trainer';

let trainer: LocalTrainer;
let client: OpenAI;

beforeAll(async () => {
  trainer = await startTestTrainer();
  client = clientFor(trainer);
});
afterAll(async () => {
  await trainer.close();
});

const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];

async function waitForBatch(c: OpenAI, id: string, timeoutMs = 60_000): Promise<OpenAI.Batch> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const b = await c.batches.retrieve(id);
    if (TERMINAL.includes(b.status)) return b;
    if (Date.now() > until) throw new Error(`batch ${id} still ${b.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A chat request for one sample example, as the Studio's evals ask it. */
function chatBody(i: number, content: string) {
  return {
    model: 'local-base',
    messages: [
      { role: 'system' as const, content: 'Label the turn.' },
      { role: 'user' as const, content },
    ],
    temperature: 0,
    max_tokens: 5,
    logprobs: true,
    top_logprobs: 3,
    ...(i % 7 === 3 ? { temperature: 1 } : {}), // sampled answers must match too (seeded by the request)
  };
}

const line = (custom_id: string, body: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id, method: 'POST', url: '/v1/chat/completions', body, ...extra });

async function uploadBatchFile(c: OpenAI, text: string, name = 'batch.jsonl'): Promise<OpenAI.FileObject> {
  return c.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'batch' });
}

async function jsonlOf(c: OpenAI, fileId: string | null | undefined): Promise<Record<string, unknown>[]> {
  if (!fileId) return [];
  const text = await (await c.files.content(fileId)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A completion without what differs per response (its id and timestamp). */
const answerOf = (body: Record<string, unknown>) => ({ ...body, id: undefined, created: undefined });

describe('batches', () => {
  it('answers every line as the same request sent alone, and puts refused requests in the error file', async () => {
    const examples = sampleExamples(120, 7);
    const bodies = examples.map((e, i) => chatBody(i, e.messages[1].content));
    const lines = bodies.map((b, i) => line(`req-${i}`, b));
    // Refused by the endpoint, not by the batch: an unknown model, and top_logprobs without logprobs.
    lines.push(line('bad-model', { ...bodies[0], model: 'no-such-model' }));
    lines.push(line('bad-param', { ...bodies[1], logprobs: false }));
    const input = await uploadBatchFile(client, `${lines.join('\n')}\n`);
    expect(input).toMatchObject({ purpose: 'batch', status: 'processed' });

    const created = await client.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { run: 'test' },
    });
    expect(created).toMatchObject({
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: input.id,
      completion_window: '24h',
      metadata: { run: 'test' },
    });
    expect(created.id).toMatch(/^batch_/);
    expect(['validating', 'in_progress']).toContain(created.status);

    const done = await waitForBatch(client, created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 122, completed: 120, failed: 2 });
    expect(done.model).toBe('local-base');
    for (const k of ['in_progress_at', 'finalizing_at', 'completed_at'] as const) expect(done[k]).toBeGreaterThanOrEqual(created.created_at);
    expect(done.expires_at).toBe(created.created_at + 24 * 3600);

    const out = await jsonlOf(client, done.output_file_id);
    expect(out.map((l) => l.custom_id)).toEqual(bodies.map((_, i) => `req-${i}`));
    const direct = await Promise.all(bodies.map((b) => client.chat.completions.create(b)));
    for (const [i, l] of out.entries()) {
      const response = l.response as { status_code: number; body: Record<string, unknown> };
      expect(l.error).toBeNull();
      expect(response.status_code).toBe(200);
      expect(answerOf(response.body)).toEqual(answerOf(direct[i] as unknown as Record<string, unknown>));
    }

    const errs = await jsonlOf(client, done.error_file_id);
    expect(errs.map((l) => l.custom_id)).toEqual(['bad-model', 'bad-param']);
    const [model, param] = errs.map((l) => l.response as { status_code: number; body: { error: { message: string; param: string | null } } });
    expect(model.status_code).toBe(404);
    expect(model.body.error.param).toBe('model');
    expect(param.status_code).toBe(400);
    expect(param.body.error.param).toBe('top_logprobs');

    // The output files are Files like any other (purpose batch_output), listed and deletable.
    expect(await client.files.retrieve(done.output_file_id!)).toMatchObject({ purpose: 'batch_output', filename: `${done.id}_output.jsonl` });
    const listed = await client.batches.list();
    expect(listed.data[0].id).toBe(done.id);
  });

  it('fails a batch with a malformed line before answering anything, naming the line', async () => {
    const body = chatBody(0, 'Candidate: yes please, Tuesday works');
    const text = [line('a', body), '{"custom_id": "b", "method": "POST", not json', line('c', body, { url: '/v1/embeddings' }), line('a', body), ''].join('\n');
    const b = await waitForBatch(
      client,
      (await client.batches.create({ input_file_id: (await uploadBatchFile(client, text)).id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id,
    );
    expect(b.status).toBe('failed');
    expect(b.failed_at).toBeGreaterThan(0);
    expect(b.output_file_id ?? null).toBeNull();
    expect(b.errors?.data?.map((e) => [e.line, e.code])).toEqual([
      [2, 'invalid_json_line'],
      [3, 'mismatched_endpoint'],
      [4, 'duplicate_custom_id'],
    ]);
  });

  it('refuses a batch over a file that is missing, not for batches, or for another endpoint', async () => {
    const input = await uploadBatchFile(client, `${line('a', chatBody(0, 'hi'))}\n`);
    const err = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
    expect(await err(client.batches.create({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' }))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const ft = await client.files.create({ file: await toFile(Buffer.from('{}\n'), 'x.jsonl'), purpose: 'fine-tune' });
    const wrongPurpose = await err(client.batches.create({ input_file_id: ft.id, endpoint: '/v1/chat/completions', completion_window: '24h' }));
    expect(wrongPurpose).toBeInstanceOf(OpenAI.BadRequestError);
    expect(wrongPurpose?.param).toBe('input_file_id');
    const wrongEndpoint = await err(client.batches.create({ input_file_id: input.id, endpoint: '/v1/embeddings', completion_window: '24h' }));
    expect(wrongEndpoint?.param).toBe('endpoint');
    expect(await err(client.batches.retrieve('batch_nope'))).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('cancels a running batch, keeping what was answered, while the server keeps answering', async () => {
    const examples = sampleExamples(300, 11);
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(line(`r${i}`, chatBody(0, examples[i % examples.length].messages[1].content)));
    const input = await uploadBatchFile(client, `${lines.join('\n')}\n`);
    const b = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });

    // While it runs, single requests are still answered promptly: the runner yields between slices.
    let running = await client.batches.retrieve(b.id);
    while (running.status === 'validating') running = await client.batches.retrieve(b.id);
    expect(running.status).toBe('in_progress');
    let slowest = 0;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await client.chat.completions.create(chatBody(0, 'Candidate: what is the pay?'));
      slowest = Math.max(slowest, performance.now() - t);
    }
    expect(slowest).toBeLessThan(500);

    const cancelling = await client.batches.cancel(b.id);
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    const end = await waitForBatch(client, b.id);
    expect(end.status).toBe('cancelled');
    expect(end.cancelled_at).toBeGreaterThan(0);
    const answered = end.request_counts!.completed;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(60_000);
    const out = await jsonlOf(client, end.output_file_id);
    expect(out.length).toBe(answered);
    expect(out.map((l) => l.custom_id)).toEqual(Array.from({ length: answered }, (_, i) => `r${i}`));
    // A finished batch cannot be cancelled again into something else.
    expect((await client.batches.cancel(b.id)).status).toBe('cancelled');
  }, 60_000);

  it('starts a batch the trainer was working on over when it starts again', async () => {
    const dataDir = tempDataDir();
    try {
      let t = await startLocalTrainer({ port: 0, dataDir, apiKey: 'sk-test-key' });
      let c = clientFor(t);
      const lines = Array.from({ length: 30_000 }, (_, i) => line(`r${i}`, chatBody(0, `Candidate: message ${i % 50}`)));
      const input = await uploadBatchFile(c, `${lines.join('\n')}\n`);
      const b = await c.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      await t.close();
      t = await startLocalTrainer({ port: 0, dataDir, apiKey: 'sk-test-key' });
      c = clientFor(t);
      const end = await waitForBatch(c, b.id);
      expect(end.status).toBe('completed');
      expect(end.request_counts).toEqual({ total: 30_000, completed: 30_000, failed: 0 });
      expect((await jsonlOf(c, end.output_file_id)).length).toBe(30_000);
      await t.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
