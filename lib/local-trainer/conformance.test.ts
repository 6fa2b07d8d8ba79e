// The trainer as the official `openai` SDK sees it: every call the Studio makes, every JSON
// body checked against OpenAI's published schemas (spec/openai-finetune-schemas.yaml), and the
// error cases mapped to the SDK's error classes. Real HTTP, no mocks.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTrainer } from './server';
import { assertMatchesSchema } from './testing/spec';
import { sampleExamples, toJsonl } from '../seed/examples';
import { clientFor, startTestTrainer, waitForJob } from './testing/trainer';

let trainer: LocalTrainer;
let client: OpenAI;
const LABELS = ['CONTINUE', 'END', 'SCHEDULE'];
const FT_NAME = /^ft:local-base:local:conformance:[A-Za-z0-9]{8}$/;

/** The raw JSON body of an SDK call, checked against the named schema. */
async function body<T = Record<string, unknown>>(call: { asResponse(): Promise<Response> }, schema: string): Promise<T> {
  const json = (await (await call.asResponse()).json()) as T;
  assertMatchesSchema(schema, json);
  return json;
}

/** The SDK error a call throws; its body is checked against ErrorResponse. */
async function apiError(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(e)}`);
  assertMatchesSchema('ErrorResponse', { error: e.error });
  return e;
}

const upload = async (lines: string, name = 'train.jsonl') => client.files.create({ file: await toFile(Buffer.from(lines), name), purpose: 'fine-tune' });

beforeAll(async () => {
  trainer = await startTestTrainer();
  client = clientFor(trainer);
});
afterAll(async () => {
  await trainer.close();
});

describe('files', () => {
  it('uploads, lists, retrieves, downloads and deletes', async () => {
    const jsonl = toJsonl(sampleExamples(12, 5));
    const file = await body<OpenAI.FileObject>(
      client.files.create({ file: await toFile(Buffer.from(jsonl), 'small.jsonl'), purpose: 'fine-tune' }),
      'OpenAIFile',
    );
    expect(file).toMatchObject({ object: 'file', purpose: 'fine-tune', filename: 'small.jsonl', bytes: Buffer.byteLength(jsonl), status: 'processed' });
    expect(file.id).toMatch(/^file-/);

    await body(client.files.retrieve(file.id), 'OpenAIFile');
    const list = await body<{ data: { id: string }[] }>(client.files.list({ purpose: 'fine-tune' }), 'ListFilesResponse');
    expect(list.data.map((f) => f.id)).toContain(file.id);
    expect(await (await client.files.content(file.id)).text()).toBe(jsonl);

    await body(client.files.delete(file.id), 'DeleteFileResponse');
    const e = await apiError(client.files.retrieve(file.id));
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect(e.message).toContain(file.id);
  });

  it('accepts a fine-tune upload with bad lines, marks it error naming them, and a job on it fails with that message', async () => {
    const good = JSON.stringify(sampleExamples(1, 1)[0]);
    const lines = [
      good,
      good,
      '{"messages": [',
      good,
      JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      JSON.stringify({
        messages: [
          { role: 'robot', content: 'x' },
          { role: 'assistant', content: 'END' },
        ],
      }),
    ];
    // As OpenAI: the upload is accepted and the content verdict is the File's status (a small
    // file's is final in the answer itself); the job names the bad lines in its error.
    const file = await body<OpenAI.FileObject>(
      client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'bad.jsonl'), purpose: 'fine-tune' }),
      'OpenAIFile',
    );
    expect(file.status).toBe('error');
    expect(file.status_details).toMatch(/line 3: not valid JSON/);
    expect(file.status_details).toMatch(/line 5: .*example_missing_assistant_message/);
    expect(file.status_details).toMatch(/line 6: .*unrecognized_role/);
    expect((await client.files.retrieve(file.id)).status).toBe('error');

    const job = await client.fineTuning.jobs.create({ model: 'local-base', training_file: file.id });
    expect(job.status).toBe('validating_files');
    const done = await waitForJob(client, job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'invalid_training_file', param: 'training_file' });
    expect(done.error!.message).toMatch(new RegExp(`invalid training file \\(${file.id}\\)\\. .*line 3: not valid JSON`));
  });

  it('refuses a fine-tune upload that is not .jsonl', async () => {
    const e = await apiError(upload(toJsonl(sampleExamples(12, 1)), 'train.csv'));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.message).toMatch(/\.jsonl/);
  });
});

describe('fine-tuning jobs', () => {
  let job: OpenAI.FineTuning.Jobs.FineTuningJob;

  beforeAll(async () => {
    const training = await upload(toJsonl(sampleExamples(60, 11)));
    const validation = await upload(toJsonl(sampleExamples(20, 12)), 'valid.jsonl');
    job = await body(
      client.fineTuning.jobs.create({
        model: 'local-base',
        training_file: training.id,
        validation_file: validation.id,
        suffix: 'conformance',
        seed: 7,
        metadata: { run: 'conformance-main', dataset: 'v1' },
        method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 4, batch_size: 'auto', learning_rate_multiplier: 'auto' } } },
      }),
      'FineTuningJob',
    );
  });

  it('creates a job in validating_files and runs it to success', async () => {
    expect(job).toMatchObject({
      object: 'fine_tuning.job',
      status: 'validating_files',
      model: 'local-base',
      seed: 7,
      fine_tuned_model: null,
      error: null,
      metadata: { run: 'conformance-main', dataset: 'v1' },
    });
    expect(job.id).toMatch(/^ftjob-/);
    const done = await waitForJob(client, job.id);
    expect(done.status).toBe('succeeded');
    const final = await body<OpenAI.FineTuning.Jobs.FineTuningJob>(client.fineTuning.jobs.retrieve(job.id), 'FineTuningJob');
    expect(final.fine_tuned_model).toMatch(FT_NAME);
    expect(final.hyperparameters).toEqual({ n_epochs: 4, batch_size: 1, learning_rate_multiplier: 1 });
    expect(final.method?.supervised?.hyperparameters).toEqual(final.hyperparameters);
    expect(final.trained_tokens).toBeGreaterThan(0);
    expect(final.finished_at).toBeGreaterThanOrEqual(final.created_at);
    expect(final.result_files).toHaveLength(1);
    job = final;
  });

  it('resolves "auto" hyperparameters and generates a seed when none is given', async () => {
    const training = await upload(toJsonl(sampleExamples(30, 13)));
    const created = await client.fineTuning.jobs.create({ model: 'local-base', training_file: training.id, hyperparameters: { batch_size: 4 } });
    expect(Number.isInteger(created.seed)).toBe(true);
    const done = await waitForJob(client, created.id);
    assertMatchesSchema('FineTuningJob', done);
    // Cookbook rule: 30 examples × 3 epochs ≥ 100, so 3; the legacy top-level hyperparameters count.
    expect(done.hyperparameters).toEqual({ n_epochs: 3, batch_size: 4, learning_rate_multiplier: 1 });
    expect(done.fine_tuned_model).toMatch(/^ft:local-base:local::[A-Za-z0-9]{8}$/);
  });

  it('lists jobs newest first with cursor pagination and a metadata filter', async () => {
    const training = await upload(toJsonl(sampleExamples(20, 14)));
    const extra = [];
    for (let i = 0; i < 3; i++) {
      extra.push(
        await client.fineTuning.jobs.create({
          model: 'local-base',
          training_file: training.id,
          metadata: { run: 'conformance-page', i: String(i) },
          method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 1 } } },
        }),
      );
    }
    const first = await body<{ data: { id: string }[]; has_more: boolean }>(client.fineTuning.jobs.list({ limit: 2 }), 'ListPaginatedFineTuningJobsResponse');
    expect(first.data.map((j) => j.id)).toEqual([extra[2].id, extra[1].id]);
    expect(first.has_more).toBe(true);
    const second = await body<{ data: { id: string }[]; has_more: boolean }>(
      client.fineTuning.jobs.list({ limit: 2, after: extra[1].id }),
      'ListPaginatedFineTuningJobsResponse',
    );
    expect(second.data[0].id).toBe(extra[0].id);

    const all: string[] = [];
    for await (const j of client.fineTuning.jobs.list({ limit: 2 })) all.push(j.id);
    expect(all).toHaveLength(new Set(all).size);
    expect(all.slice(0, 3)).toEqual([extra[2].id, extra[1].id, extra[0].id]);
    expect(all).toContain(job.id);

    const page = await client.fineTuning.jobs.list({ metadata: { run: 'conformance-page', i: '1' } });
    expect(page.data.map((j) => j.id)).toEqual([extra[1].id]);
    expect(page.has_more).toBe(false);
    for (const j of extra) await waitForJob(client, j.id);
  });

  it('pages through events, newest first, with metrics events', async () => {
    const page = await body<{ data: OpenAI.FineTuning.Jobs.FineTuningJobEvent[]; has_more: boolean }>(
      client.fineTuning.jobs.listEvents(job.id, { limit: 5 }),
      'ListFineTuningJobEventsResponse',
    );
    expect(page.data).toHaveLength(5);
    expect(page.has_more).toBe(true);
    expect(page.data[0].message).toBe('The job has successfully completed');

    const events: OpenAI.FineTuning.Jobs.FineTuningJobEvent[] = [];
    for await (const e of client.fineTuning.jobs.listEvents(job.id, { limit: 50 })) events.push(e);
    for (let i = 1; i < events.length; i++) expect(events[i].created_at).toBeLessThanOrEqual(events[i - 1].created_at);
    const messages = events.map((e) => e.message).reverse();
    expect(messages[0]).toBe(`Created fine-tuning job: ${job.id}`);
    expect(messages).toContain('Files validated, moving job to queued state');
    expect(messages).toContain(`New fine-tuned model created: ${job.fine_tuned_model}`);
    const metrics = events.filter((e) => e.type === 'metrics');
    // 60 examples × 4 epochs at batch size 1 = 240 steps; at most 200 points, so every 2nd step.
    expect(metrics.length).toBe(120);
    expect(Object.keys(metrics[0].data as object).sort()).toEqual([
      'step',
      'total_steps',
      'train_loss',
      'train_mean_token_accuracy',
      'valid_loss',
      'valid_mean_token_accuracy',
    ]);
    expect(metrics[0].data).toMatchObject({ step: 240, total_steps: 240 });
  });

  it('lists one checkpoint per epoch (the last three), newest first', async () => {
    const page = await body<{ data: OpenAI.FineTuning.Jobs.Checkpoints.FineTuningJobCheckpoint[]; has_more: boolean; first_id: string }>(
      client.fineTuning.jobs.checkpoints.list(job.id),
      'ListFineTuningJobCheckpointsResponse',
    );
    expect(page.data.map((c) => c.step_number)).toEqual([240, 180, 120]);
    expect(page.first_id).toBe(page.data[0].id);
    expect(page.data[0].fine_tuned_model_checkpoint).toBe(`${job.fine_tuned_model}:ckpt-step-240`);
    expect(Object.keys(page.data[0].metrics).sort()).toEqual(
      [
        'full_valid_loss',
        'full_valid_mean_token_accuracy',
        'step',
        'train_loss',
        'train_mean_token_accuracy',
        'valid_loss',
        'valid_mean_token_accuracy',
      ].sort(),
    );
    const second = await client.fineTuning.jobs.checkpoints.list(job.id, { limit: 2, after: page.data[1].id });
    expect(second.data.map((c) => c.step_number)).toEqual([120]);
  });

  it('writes the result CSV', async () => {
    const file = await body<OpenAI.FileObject>(client.files.retrieve(job.result_files[0]), 'OpenAIFile');
    expect(file.purpose).toBe('fine-tune-results');
    const csv = (await (await client.files.content(file.id)).text()).trim().split('\n');
    expect(csv[0]).toBe('step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy');
    expect(csv).toHaveLength(121);
    expect(csv[120]).toMatch(/^240,[\d.e-]+,[\d.]+,[\d.e-]+,[\d.]+$/);
  });

  it('serves the fine-tuned model in /models and chat completions with logprobs', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(['local-base', job.fine_tuned_model]));
    expect(await client.models.retrieve(job.fine_tuned_model!)).toMatchObject({ id: job.fine_tuned_model, object: 'model' });

    const request = {
      model: job.fine_tuned_model!,
      messages: [
        { role: 'system' as const, content: 'Answer END, CONTINUE or SCHEDULE.' },
        {
          role: 'user' as const,
          content:
            "[start] Recruiter: Hi, still looking for work?\n[+12m] Candidate: yes! tuesday at 2pm works for me\n[+1m] Recruiter's turn: END, CONTINUE or SCHEDULE?",
        },
      ],
      temperature: 0,
      logprobs: true,
      top_logprobs: 3,
    };
    const res = await body<OpenAI.ChatCompletion>(client.chat.completions.create(request), 'CreateChatCompletionResponse');
    const choice = res.choices[0];
    expect(LABELS).toContain(choice.message.content);
    expect(choice.finish_reason).toBe('stop');
    const lp = choice.logprobs!.content![0];
    expect(lp.token).toBe(choice.message.content);
    // One alternative per label, each cut to as many tokens as the answer has (END is one token).
    const tops = lp.top_logprobs.map((t) => t.token);
    expect(LABELS.map((l) => tops.filter((t) => t.length > 0 && l.startsWith(t)).length)).toEqual([1, 1, 1]);
    expect(lp.top_logprobs[0].logprob).toBeGreaterThanOrEqual(lp.top_logprobs[1].logprob);
    expect(lp.top_logprobs.reduce((s, t) => s + Math.exp(t.logprob), 0)).toBeCloseTo(1, 5);
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);

    // Same request, same answer; a one-token budget cuts a long label like a real model would.
    const again = await client.chat.completions.create(request);
    expect(again.choices[0].logprobs!.content![0].logprob).toBe(lp.logprob);
    const cut = await client.chat.completions.create({ ...request, max_completion_tokens: 1, top_logprobs: 1 });
    if (choice.message.content!.length > 4) {
      expect(cut.choices[0].message.content).toBe(choice.message.content!.slice(0, 4));
      expect(cut.choices[0].finish_reason).toBe('length');
    }
    const checkpoint = await client.chat.completions.create({ ...request, model: `${job.fine_tuned_model}:ckpt-step-180` });
    expect(LABELS).toContain(checkpoint.choices[0].message.content);
  });

  it('samples with temperature > 0 reproducibly for a seed', async () => {
    const request = {
      model: job.fine_tuned_model!,
      messages: [{ role: 'user' as const, content: '[+3m] Candidate: maybe' }],
      temperature: 2,
      n: 20,
      seed: 123,
    };
    const a = await body<OpenAI.ChatCompletion>(client.chat.completions.create(request), 'CreateChatCompletionResponse');
    const b = await client.chat.completions.create(request);
    expect(a.choices.map((c) => c.message.content)).toEqual(b.choices.map((c) => c.message.content));
    expect(a.choices).toHaveLength(20);
  });

  it('cancels a job that has not finished, and refuses to cancel a finished one', async () => {
    const training = await upload(toJsonl(sampleExamples(20, 15)));
    const created = await client.fineTuning.jobs.create({ model: 'local-base', training_file: training.id });
    const cancelled = await body<OpenAI.FineTuning.Jobs.FineTuningJob>(client.fineTuning.jobs.cancel(created.id), 'FineTuningJob');
    expect(cancelled.status).toBe('cancelled');
    expect((await client.fineTuning.jobs.retrieve(created.id)).status).toBe('cancelled');
    const e = await apiError(client.fineTuning.jobs.cancel(job.id));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('errors', () => {
  it('rejects an unknown training file and an unknown job', async () => {
    const e = await apiError(client.fineTuning.jobs.create({ model: 'local-base', training_file: 'file-doesnotexist' }));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.param).toBe('training_file');
    expect(e.message).toContain('file-doesnotexist');
    expect(await apiError(client.fineTuning.jobs.retrieve('ftjob-doesnotexist'))).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await apiError(client.fineTuning.jobs.listEvents('ftjob-doesnotexist'))).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('rejects bad hyperparameters with the parameter path', async () => {
    const training = await upload(toJsonl(sampleExamples(12, 16)));
    const cases: [unknown, string][] = [
      [{ method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 0 } } } }, 'method.supervised.hyperparameters.n_epochs'],
      [{ method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 'abc' } } } }, 'method.supervised.hyperparameters.n_epochs'],
      [{ method: { type: 'supervised', supervised: { hyperparameters: { batch_size: -4 } } } }, 'method.supervised.hyperparameters.batch_size'],
      [{ hyperparameters: { learning_rate_multiplier: 0 } }, 'hyperparameters.learning_rate_multiplier'],
      [{ suffix: 'has:colon' }, 'suffix'],
      [{ seed: -1 }, 'seed'],
      [{ model: 'gpt-4o-mini' }, 'model'],
    ];
    for (const [extra, param] of cases) {
      const e = await apiError(client.fineTuning.jobs.create({ model: 'local-base', training_file: training.id, ...(extra as object) }));
      expect(e, param).toBeInstanceOf(OpenAI.BadRequestError);
      expect(e.param).toBe(param);
    }
  });

  it('fails a job whose training file has fewer than 10 examples', async () => {
    const training = await upload(toJsonl(sampleExamples(5, 17)));
    const created = await client.fineTuning.jobs.create({ model: 'local-base', training_file: training.id });
    const done = await waitForJob(client, created.id);
    assertMatchesSchema('FineTuningJob', done);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'invalid_n_examples', param: 'training_file' });
    expect(done.error!.message).toMatch(/5 example/);
  });

  it('answers 401 without a key and with a wrong key', async () => {
    const wrong = await apiError(clientFor(trainer, { apiKey: 'sk-wrong' }).models.list());
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.code).toBe('invalid_api_key');
    const missing = await apiError(client.models.list({ headers: { Authorization: null } }));
    expect(missing).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const e = await apiError(client.chat.completions.create({ model: 'ft:local-base:local::nope1234', messages: [{ role: 'user', content: 'hi' }] }));
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect(e.code).toBe('model_not_found');
    expect(await apiError(client.models.retrieve('nope'))).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
