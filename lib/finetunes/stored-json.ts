// The shapes a fine-tune run keeps in its JSON columns, parsed on read with lib/stored-json.ts
// (loose: fields added by newer code pass through).
import { z } from 'zod';

const autoOr = z.union([z.literal('auto'), z.number()]);

/** What was asked of the provider: each hyperparameter a number or "auto". */
export const requestedHyperparametersSchema = z.looseObject({
  n_epochs: autoOr.optional(),
  batch_size: autoOr.optional(),
  learning_rate_multiplier: autoOr.optional(),
  // Together AI's.
  learning_rate: autoOr.optional(),
  lora: z.boolean().optional(),
});

/** The cost estimate made at launch (see launch-fine-tune.ts). */
export const estimatedCostSchema = z.looseObject({
  nEpochs: z.number(),
  chargedTokens: z.number(),
  usd: z.number().nullable(),
});
