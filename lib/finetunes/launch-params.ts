// The launch form's input, checked once here for the page, the CLI and the tests. Field names
// are the input keys, so issues land beside the right control (and the CLI maps them to flags).
// OpenAI, Azure and the local trainer take OpenAI's three hyperparameters; Together AI takes
// its own (a learning rate rather than a multiplier, "max" batches, LoRA settings), so the
// Together-only fields are refused for the others and the multiplier for Together.
import { z } from 'zod';
import { PROVIDER_NAMES, providerIdSchema } from './provider-ids';

const auto = z.literal('auto');
const int = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be "auto" or a whole number from ${min} to ${max}` })
    .int(`${field} must be a whole number from ${min} to ${max}`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);
const fraction = (field: string) =>
  z
    .number({ error: `${field} must be a number from 0 to 1` })
    .min(0, `${field} must be at least 0`)
    .max(1, `${field} must be at most 1`);

export const SUFFIX_MAX_LENGTH = 18;
/** Together AI: "Number of epochs … Min: 1, Max: 20" (docs.together.ai/reference/finetune). */
export const TOGETHER_MAX_EPOCHS = 20;

/** The launch keys only Together AI takes. */
export const TOGETHER_ONLY_FIELDS = ['learningRate', 'lora', 'loraR', 'loraAlpha', 'loraDropout', 'warmupRatio'] as const;

export const launchInputSchema = z
  .object({
    datasetVersionId: z.number({ error: 'choose a dataset version' }).int('choose a dataset version').positive('choose a dataset version'),
    provider: providerIdSchema.default('local'),
    baseModel: z
      .string({ error: 'choose a base model' })
      .trim()
      .min(1, 'choose a base model')
      .max(200, 'the base model name is too long')
      .regex(/^\S+$/, 'the base model name cannot contain spaces'),
    nEpochs: z.union([auto, int('epochs', 1, 50)], { error: 'epochs must be "auto" or a whole number from 1 to 50' }).default('auto'),
    batchSize: z.union([auto, int('batch size', 1, 256)], { error: 'batch size must be "auto" or a whole number from 1 to 256' }).default('auto'),
    learningRateMultiplier: z
      .union(
        [
          auto,
          z
            .number({ error: 'learning rate multiplier must be "auto" or a number above 0 and at most 10' })
            .gt(0, 'learning rate multiplier must be above 0')
            .max(10, 'learning rate multiplier must be at most 10'),
        ],
        {
          error: 'learning rate multiplier must be "auto" or a number above 0 and at most 10',
        },
      )
      .default('auto'),
    // Together AI only (see the refinement below).
    learningRate: z
      .union(
        [
          auto,
          z
            .number({ error: 'learning rate must be "auto" or a number above 0 and at most 0.01' })
            .gt(0, 'learning rate must be above 0')
            .max(0.01, 'learning rate must be at most 0.01'),
        ],
        {
          error: 'learning rate must be "auto" or a number above 0 and at most 0.01',
        },
      )
      .optional(),
    lora: z.boolean({ error: 'LoRA must be on or off' }).optional(),
    loraR: int('LoRA rank', 1, 64).optional(),
    loraAlpha: int('LoRA alpha', 1, 128).optional(),
    loraDropout: fraction('LoRA dropout').optional(),
    warmupRatio: fraction('warm-up ratio').optional(),
    // OpenAI's rule for the part of the model name we choose.
    suffix: z
      .string({ error: 'suffix must be text' })
      .max(SUFFIX_MAX_LENGTH, `suffix must be at most ${SUFFIX_MAX_LENGTH} characters`)
      .regex(/^[a-z0-9-]*$/, 'suffix may contain only lowercase letters, digits and "-"')
      .optional()
      .transform((s) => s || undefined),
    seed: z
      .number({ error: 'seed must be a whole number' })
      .int('seed must be a whole number')
      .min(0, 'seed must be at least 0')
      .max(2_147_483_647, 'seed must be at most 2147483647')
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.provider === 'together') {
      if (p.learningRateMultiplier !== 'auto') {
        ctx.addIssue({
          code: 'custom',
          path: ['learningRateMultiplier'],
          message: 'Together AI takes a learning rate, not a multiplier: leave this "auto" and set the learning rate',
        });
      }
      if (typeof p.nEpochs === 'number' && p.nEpochs > TOGETHER_MAX_EPOCHS) {
        ctx.addIssue({ code: 'custom', path: ['nEpochs'], message: `Together AI trains at most ${TOGETHER_MAX_EPOCHS} epochs` });
      }
      if (p.lora === false) {
        for (const f of ['loraR', 'loraAlpha', 'loraDropout'] as const) {
          if (p[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'LoRA settings need LoRA on (a full fine-tune has none)' });
        }
      }
      if (p.seed !== undefined) ctx.addIssue({ code: 'custom', path: ['seed'], message: 'Together AI does not take a seed' });
      return;
    }
    for (const f of TOGETHER_ONLY_FIELDS) {
      if (p[f] !== undefined)
        ctx.addIssue({ code: 'custom', path: [f], message: `this is a Together AI setting; ${PROVIDER_NAMES[p.provider]} does not take it` });
    }
  });

export type LaunchInput = z.input<typeof launchInputSchema>;
export type ParsedLaunchInput = z.output<typeof launchInputSchema>;

/** OpenAI's hyperparameters (local trainer, OpenAI, Azure), as the provider expects them and as stored on the run. */
export const openAiHyperparametersSchema = z.object({
  n_epochs: z.union([auto, z.number()]),
  batch_size: z.union([auto, z.number()]),
  learning_rate_multiplier: z.union([auto, z.number()]),
});

/** Together AI's, as stored on the run ("auto" = leave it to Together's default). */
export const togetherHyperparametersSchema = z.object({
  n_epochs: z.union([auto, z.number()]),
  batch_size: z.union([z.literal('max'), z.number()]),
  learning_rate: z.union([auto, z.number()]),
  lora: z.boolean(),
  lora_r: z.number().optional(),
  lora_alpha: z.number().optional(),
  lora_dropout: z.number().optional(),
  warmup_ratio: z.number().optional(),
});

/** The hyperparameters as the provider expects them (and as stored on the run). */
export function requestedHyperparameters(p: ParsedLaunchInput): z.infer<typeof openAiHyperparametersSchema> | z.infer<typeof togetherHyperparametersSchema> {
  if (p.provider === 'together') {
    return {
      n_epochs: p.nEpochs,
      batch_size: p.batchSize === 'auto' ? 'max' : p.batchSize,
      learning_rate: p.learningRate ?? 'auto',
      lora: p.lora ?? true,
      ...(p.loraR !== undefined ? { lora_r: p.loraR } : {}),
      ...(p.loraAlpha !== undefined ? { lora_alpha: p.loraAlpha } : {}),
      ...(p.loraDropout !== undefined ? { lora_dropout: p.loraDropout } : {}),
      ...(p.warmupRatio !== undefined ? { warmup_ratio: p.warmupRatio } : {}),
    };
  }
  return { n_epochs: p.nEpochs, batch_size: p.batchSize, learning_rate_multiplier: p.learningRateMultiplier };
}
export type RequestedHyperparameters = ReturnType<typeof requestedHyperparameters>;
