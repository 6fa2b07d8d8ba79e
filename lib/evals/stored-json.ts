// The shapes an eval run keeps in its JSON columns (settings, metrics), parsed on read with
// lib/stored-json.ts. Metrics are checked for the fields pages and the CLI read, and kept
// whole (newer fields pass through untouched).
import { z } from 'zod';
import { LABELS, PREDICTED, type ConfusionMatrix } from './metrics';
import type { EvalRunSettings } from './settings';
import type { EvalMetrics } from './summarize';

export const evalRunSettingsSchema: z.ZodType<EvalRunSettings> = z.looseObject({
  concurrency: z.number().int().positive(),
  maxTokens: z.number().int().positive(),
  temperature: z.literal(0),
  logprobs: z.boolean(),
  topLogprobs: z.number().int().nonnegative(),
});

const rate = z.number().nullable();
const metricsShape = z.looseObject({
  n: z.number().int().nonnegative(),
  correct: z.number().int().nonnegative(),
  accuracy: rate,
  invalid: z.number().int().nonnegative(),
  macroF1: rate,
  perClass: z.record(z.string(), z.looseObject({})),
  confusion: z.looseObject({}),
  prematureEndRate: rate,
  accuracyCi: z.looseObject({ low: z.number(), high: z.number() }).nullable(),
  thresholdCurve: z.array(z.looseObject({ threshold: z.number() })).nullable(),
  withConfidence: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  tokens: z.looseObject({ prompt: z.number(), completion: z.number() }),
});

export const evalMetricsSchema = z.custom<EvalMetrics>((v) => metricsShape.safeParse(v).success, 'not evaluation metrics');

const count = z.number().int().nonnegative();
const confusionRow = z.object(Object.fromEntries(PREDICTED.map((p) => [p, count])) as Record<(typeof PREDICTED)[number], typeof count>);

/** A stored confusion matrix: every truth row with every predicted column, whole counts. */
export const storedConfusionSchema: z.ZodType<ConfusionMatrix> = z.object(
  Object.fromEntries(LABELS.map((l) => [l, confusionRow])) as Record<(typeof LABELS)[number], typeof confusionRow>,
);
