// The launch form's input, checked once here for the page, the CLI and the tests. Field names
// are the input keys, so issues land beside the right control (and the CLI maps them to flags).
import { z } from 'zod';
import { providerIdSchema } from './provider-ids';

const auto = z.literal('auto');
const int = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be "auto" or a whole number from ${min} to ${max}` })
    .int(`${field} must be a whole number from ${min} to ${max}`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);

export const SUFFIX_MAX_LENGTH = 18;

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
  .strict();

export type LaunchInput = z.input<typeof launchInputSchema>;
export type ParsedLaunchInput = z.output<typeof launchInputSchema>;

/** The hyperparameters as the provider expects them (and as stored on the run). */
export function requestedHyperparameters(p: ParsedLaunchInput) {
  return { n_epochs: p.nEpochs, batch_size: p.batchSize, learning_rate_multiplier: p.learningRateMultiplier };
}
export type RequestedHyperparameters = ReturnType<typeof requestedHyperparameters>;
