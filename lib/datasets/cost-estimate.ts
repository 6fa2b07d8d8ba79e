// The cookbook's cost estimate (reference §1.5): default epochs from the example count,
// billed tokens capped per example, charged = epochs × billed.
import { FINE_TUNE_PRICES } from './fine-tune-prices';

export const MAX_TOKENS_PER_EXAMPLE = 16_385;
const TARGET_EPOCHS = 3;
const MIN_TARGET_EXAMPLES = 100;
const MAX_TARGET_EXAMPLES = 25_000;
const MIN_DEFAULT_EPOCHS = 1;
const MAX_DEFAULT_EPOCHS = 25;

/** OpenAI's "auto" epochs for n training examples. */
export function defaultEpochs(n: number): number {
  if (n <= 0) return TARGET_EPOCHS;
  if (n * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) return Math.min(MAX_DEFAULT_EPOCHS, Math.floor(MIN_TARGET_EXAMPLES / n));
  if (n * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) return Math.max(MIN_DEFAULT_EPOCHS, Math.floor(MAX_TARGET_EXAMPLES / n));
  return TARGET_EPOCHS;
}

export interface CostEstimate {
  examples: number;
  nEpochs: number;
  billingTokens: number;
  chargedTokens: number;
  perModel: { model: string; usdPerMillionTrainingTokens: number; usd: number }[];
}

/** `tokens` = tokens per training example. `epochs` overrides the default rule. */
export function estimateCost(tokens: ArrayLike<number>, epochs?: number): CostEstimate {
  let billing = 0;
  for (let i = 0; i < tokens.length; i++) billing += Math.min(MAX_TOKENS_PER_EXAMPLE, tokens[i]);
  const nEpochs = epochs ?? defaultEpochs(tokens.length);
  const charged = nEpochs * billing;
  return {
    examples: tokens.length,
    nEpochs,
    billingTokens: billing,
    chargedTokens: charged,
    perModel: FINE_TUNE_PRICES.map((p) => ({
      model: p.model,
      usdPerMillionTrainingTokens: p.usdPerMillionTrainingTokens,
      usd: Math.round((charged / 1e6) * p.usdPerMillionTrainingTokens * 100) / 100,
    })),
  };
}
