// The two yardsticks every fine-tune must beat: the bundled keyword rule (`local-base`, a
// regex over the end of the transcript, not a language model) and always answering the most
// common training label. A fine-tune that barely beats them has learned little.
import { z } from 'zod';
import { LABELS, classificationMetrics, type ClassificationMetrics, type Label, type Prediction } from './metrics';

export const KEYWORD_RULE_MODEL = 'local-base';

/** How a model is named to people: the keyword rule says what it is. */
export function modelLabel(model: string): string {
  return model === KEYWORD_RULE_MODEL ? 'keyword rule (local-base)' : model;
}

const labelCounts = z.record(z.string(), z.number().int().nonnegative());
/** dataset_versions.counts: split → label → examples. */
export const versionCountsSchema = z.object({ train: labelCounts, validation: labelCounts, test: labelCounts }).partial();
export type VersionCounts = z.infer<typeof versionCountsSchema>;

/** The most frequent label in `counts` (ties: END < CONTINUE < SCHEDULE order, so the safest is not preferred by accident). */
export function majorityLabel(counts: Record<string, number> | undefined): Label | null {
  let best: Label | null = null;
  for (const l of LABELS) if ((counts?.[l] ?? 0) > 0 && (best === null || (counts![l] ?? 0) > (counts![best] ?? 0))) best = l;
  return best;
}

/** Metrics of answering `label` on every example of a split with these label counts. */
export function constantPredictionMetrics(label: Label, counts: Record<string, number> | undefined): ClassificationMetrics {
  const preds: Prediction[] = [];
  for (const truth of LABELS) for (let i = 0; i < (counts?.[truth] ?? 0); i++) preds.push({ truth, predicted: label, confidence: null });
  return classificationMetrics(preds);
}
