// What the advisor's instructions already say, as a starting point for the weights. DESIGN §1
// defines the labels by the same few things the cues detect: an opt-out, a decline, a wrong
// number, a job taken elsewhere, hostility or a role that does not fit end a conversation; a
// time, a confirmation or "call me" schedule; a question, a hedge or "later" keep it going; and
// silence after two nudges ends it while a first or second nudge continues. A training file
// rarely has enough examples of each (generated data may have four hostile replies, a golden
// half fifty ENDs in all), so learning these weights from zero leaves the rare ones near zero.
// Training starts from this prior instead, and its L2 penalty pulls toward it rather than toward
// 0: the data can still overrule any of it, it only has to show it.
import { stateBucket } from './features';

/** Logit weight per prior feature, before its group's normalisation (≈ 1/√(cues) ≈ 0.5). */
export const PRIOR_WEIGHT = 2;

const PRIOR: Record<string, readonly string[]> = {
  END: ['c:optout', 'c:decline', 'c:taken', 'c:wrong', 'c:hostile', 'c:mismatch', 'c:no', 'trail=3', 'trail=4'],
  SCHEDULE: ['c:time', 'c:confirm', 'c:call', 'c:reschedule'],
  CONTINUE: ['c:question', 'c:hedge', 'c:later', 'trail=1', 'trail=2'],
};

/** (bucket, class, weight) triples for the classes of `labels` the prior knows; empty for others. */
export function priorWeights(labels: readonly string[]): { bucket: number; k: number; weight: number }[] {
  const out: { bucket: number; k: number; weight: number }[] = [];
  labels.forEach((label, k) => {
    for (const token of PRIOR[label] ?? []) out.push({ bucket: stateBucket(token), k, weight: PRIOR_WEIGHT });
  });
  // Only a prior over the advisor's own label set means anything.
  return labels.every((l) => l in PRIOR) ? out : [];
}
