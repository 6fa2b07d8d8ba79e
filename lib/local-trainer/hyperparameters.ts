// Supervised hyperparameters: the request shape (each "auto" or a value, ranges from the spec's
// FineTuneSupervisedHyperparameters) and how "auto" resolves once the training file is known.
import { z } from 'zod';
import type { Hyperparameters, ResolvedHyperparameters } from './types';

const auto = z.literal('auto');
export const hyperparametersSchema = z
  .object({
    n_epochs: z.union([auto, z.number().int().min(1).max(50)]).optional(),
    batch_size: z.union([auto, z.number().int().min(1).max(256)]).optional(),
    learning_rate_multiplier: z.union([auto, z.number().gt(0).max(100)]).optional(),
  })
  .strict();

export function withDefaults(h: z.infer<typeof hyperparametersSchema> | undefined): Hyperparameters {
  return { n_epochs: h?.n_epochs ?? 'auto', batch_size: h?.batch_size ?? 'auto', learning_rate_multiplier: h?.learning_rate_multiplier ?? 'auto' };
}

/** The cookbook's default-epochs rule (reference §1.5): aim at ~100–25,000 example passes. */
export function autoEpochs(examples: number): number {
  const TARGET_EPOCHS = 3;
  const MIN_TARGET_EXAMPLES = 100;
  const MAX_TARGET_EXAMPLES = 25_000;
  if (examples <= 0) return TARGET_EPOCHS;
  if (examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) return Math.min(25, Math.floor(MIN_TARGET_EXAMPLES / examples));
  if (examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) return Math.max(1, Math.floor(MAX_TARGET_EXAMPLES / examples));
  return TARGET_EPOCHS;
}

/** About 0.2% of the examples per batch, as OpenAI's auto batch size behaves, within 1..256. */
export function autoBatchSize(examples: number): number {
  return Math.min(256, Math.max(1, Math.ceil(examples * 0.002)));
}

export function resolveHyperparameters(h: Hyperparameters, examples: number): ResolvedHyperparameters {
  return {
    n_epochs: h.n_epochs === 'auto' ? autoEpochs(examples) : h.n_epochs,
    batch_size: h.batch_size === 'auto' ? autoBatchSize(examples) : h.batch_size,
    learning_rate_multiplier: h.learning_rate_multiplier === 'auto' ? 1 : h.learning_rate_multiplier,
  };
}
