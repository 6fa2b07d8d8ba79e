// `npm run finetune` flags for every provider: Together AI's own hyperparameters are checked by
// the launch's zod schema and reported by flag, before anything touches the database.
import { describe, expect, it } from 'vitest';
import { parseFineTuneFlags } from './finetune-flags';

const base = ['--dataset', 'd', '--model', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference'];

describe('finetune flags', () => {
  it('take Together AI hyperparameters for Together and refuse them (and the multiplier) where they do not apply', () => {
    const ok = parseFineTuneFlags([...base, '--provider', 'together', '--epochs', '3', '--learning-rate', '1e-5', '--lora-r', '16', '--warmup-ratio', '0.1']);
    expect(ok).toMatchObject({ ok: true, flags: { input: { provider: 'together', nEpochs: 3, learningRate: 0.00001, loraR: 16, warmupRatio: 0.1 } } });
    expect(parseFineTuneFlags([...base, '--provider', 'together', '--no-lora'])).toMatchObject({ ok: true, flags: { input: { lora: false } } });

    expect(parseFineTuneFlags([...base, '--provider', 'together', '--lr-multiplier', '2', '--epochs', '21'])).toEqual({
      ok: false,
      errors: [
        '--lr-multiplier: Together AI takes a learning rate, not a multiplier: leave this "auto" and set the learning rate',
        '--epochs: Together AI trains at most 20 epochs',
      ],
    });
    expect(parseFineTuneFlags([...base, '--provider', 'openai', '--learning-rate', '0.0001'])).toEqual({
      ok: false,
      errors: ['--learning-rate: this is a Together AI setting; OpenAI does not take it'],
    });
    expect(parseFineTuneFlags([...base, '--provider', 'together', '--lora-dropout', '2'])).toEqual({
      ok: false,
      errors: ['--lora-dropout: LoRA dropout must be at most 1'],
    });
    expect(parseFineTuneFlags([...base, '--provider', 'anyscale'])).toEqual({
      ok: false,
      errors: ['--provider: provider must be one of local, openai, azure, together'],
    });
  });
});
