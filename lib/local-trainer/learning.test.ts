// The trainer learns: on held-out synthetic SMS turns a fine-tuned model clearly beats the
// keyword baseline `local-base`, and one seed gives one model (same loss curve, same answers).
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTrainer } from './server';
import { sampleExamples, toJsonl, type ChatLine } from '../seed/examples';
import { clientFor, startTestTrainer, waitForJob } from './testing/trainer';

let trainer: LocalTrainer;
let client: OpenAI;
let trainingFile: string;
let validationFile: string;
const heldOut = sampleExamples(400, 2024);

async function predict(model: string, examples: ChatLine[]): Promise<{ label: string; logprob: number }[]> {
  const out: { label: string; logprob: number }[] = new Array(examples.length);
  let next = 0;
  // 16 requests in flight, as the Studio's evaluations run.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < examples.length) {
        const i = next++;
        const res = await client.chat.completions.create({
          model,
          messages: examples[i].messages.slice(0, 2),
          temperature: 0,
          logprobs: true,
          max_completion_tokens: 5,
        });
        out[i] = { label: res.choices[0].message.content ?? '', logprob: res.choices[0].logprobs!.content![0].logprob };
      }
    }),
  );
  return out;
}

const accuracy = (preds: { label: string }[]) => preds.filter((p, i) => p.label === heldOut[i].messages[2].content).length / preds.length;

async function train(seed: number) {
  const job = await client.fineTuning.jobs.create({
    model: 'local-base',
    training_file: trainingFile,
    validation_file: validationFile,
    seed,
    method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3, batch_size: 4 } } },
  });
  const done = await waitForJob(client, job.id);
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  const csv = await (await client.files.content(done.result_files[0])).text();
  return { model: done.fine_tuned_model!, csv };
}

beforeAll(async () => {
  trainer = await startTestTrainer();
  client = clientFor(trainer);
  const up = async (lines: ChatLine[], name: string) =>
    (await client.files.create({ file: await toFile(Buffer.from(toJsonl(lines)), name), purpose: 'fine-tune' })).id;
  trainingFile = await up(sampleExamples(600, 1), 'train.jsonl');
  validationFile = await up(sampleExamples(100, 77), 'valid.jsonl');
});
afterAll(async () => {
  await trainer.close();
});

describe('learning', () => {
  it('beats local-base on held-out examples and is deterministic for a seed', async () => {
    const a = await train(42);
    const b = await train(42);
    const c = await train(43);

    const base = accuracy(await predict('local-base', heldOut));
    const predsA = await predict(a.model, heldOut);
    const tuned = accuracy(predsA);
    console.log(`held-out accuracy: local-base ${base.toFixed(3)}, fine-tuned ${tuned.toFixed(3)}`);
    expect(tuned).toBeGreaterThan(0.85);
    expect(tuned - base).toBeGreaterThan(0.15);

    // Same seed and data: the same loss curve, step by step, and the same answers.
    expect(b.csv).toBe(a.csv);
    expect(await predict(b.model, heldOut)).toEqual(predsA);
    // Another seed shuffles differently.
    expect(c.csv).not.toBe(a.csv);

    // The validation columns are filled when a validation file is given, and the loss falls.
    const rows = a.csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(rows.every((r) => Number.isFinite(r[3]) && Number.isFinite(r[4]))).toBe(true);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(rows.slice(-20).map((r) => r[1]))).toBeLessThan(mean(rows.slice(0, 20).map((r) => r[1])));
  });
});
