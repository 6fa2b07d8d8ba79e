import { confusionMatrix, type ConfusionMatrix } from './confusion';
import { LABELS, PREDICTED, ratio, type Label, type Prediction } from './labels';

export interface ClassMetrics {
  /** TP / (# predicted as this class); 0 when nothing was predicted as it (sklearn zero_division=0). */
  precision: number;
  /** TP / support; 0 when the class never occurs in truth (zero_division=0). */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** # examples whose truth is this class. */
  support: number;
  /** # examples predicted as this class. */
  predicted: number;
}

export interface RateCount {
  count: number;
  of: number;
}

export interface ClassificationMetrics {
  n: number;
  correct: number;
  /** correct / n; invalid answers count as wrong. null when n = 0. */
  accuracy: number | null;
  invalid: number;
  invalidRate: number | null;
  /** Mean F1 over the classes in `macroF1Classes` (see ClassificationOptions); null if none qualify. */
  macroF1: number | null;
  perClass: Record<Label, ClassMetrics>;
  confusion: ConfusionMatrix;
  /** Share of CONTINUE/SCHEDULE conversations the model would have ended: the costly error. */
  prematureEndRate: number | null;
  prematureEnd: RateCount;
  /** Share of SCHEDULE conversations not predicted SCHEDULE (invalid included): a lost interview. */
  missedScheduleRate: number | null;
  missedSchedule: RateCount;
}

export interface ClassificationOptions {
  /**
   * Which classes macro-F1 averages over.
   * - 'present' (default): classes that occur in truth OR in predictions. A class absent from
   *   both has an undefined F1 (0/0); counting it as 0 would punish a small eval set that
   *   simply has no SCHEDULE turns. A class predicted but never true stays in, with F1 0,
   *   because those predictions are all false positives.
   * - 'all': all three labels, absent ones counting as 0 (sklearn's `labels=` behaviour).
   */
  macroF1Classes?: 'present' | 'all';
}

export function classificationMetrics(preds: readonly Pick<Prediction, 'truth' | 'predicted'>[], opts: ClassificationOptions = {}): ClassificationMetrics {
  return classificationMetricsFromConfusion(confusionMatrix(preds), opts);
}

/**
 * The same metrics from the confusion matrix alone (every figure here is a function of its
 * cells): what SQL's GROUP BY truth, predicted or a stored matrix gives, without the predictions.
 */
export function classificationMetricsFromConfusion(confusion: ConfusionMatrix, opts: ClassificationOptions = {}): ClassificationMetrics {
  const macroOver = opts.macroF1Classes ?? 'present';
  let n = 0;
  for (const t of LABELS) for (const p of PREDICTED) n += confusion[t][p];

  let correct = 0;
  let invalid = 0;
  const perClass = {} as Record<Label, ClassMetrics>;
  const macroF1s: number[] = [];
  for (const label of LABELS) {
    const tp = confusion[label][label];
    correct += tp;
    invalid += confusion[label].invalid;
    const support = PREDICTED.reduce((sum, p) => sum + confusion[label][p], 0);
    const predicted = LABELS.reduce((sum, t) => sum + confusion[t][label], 0);
    const precision = ratio(tp, predicted) ?? 0;
    const recall = ratio(tp, support) ?? 0;
    // 2TP / (2TP + FP + FN) = 2TP / (support + predicted): algebraically the harmonic mean of
    // precision and recall, but one division, so hand-computed fractions match exactly.
    const f1 = ratio(2 * tp, support + predicted) ?? 0;
    perClass[label] = { precision, recall, f1, support, predicted };
    if (macroOver === 'all' || support + predicted > 0) macroF1s.push(f1);
  }

  const notEnd = confusion.CONTINUE;
  const sched = confusion.SCHEDULE;
  const prematureEnd: RateCount = {
    count: notEnd.END + sched.END,
    of: perClass.CONTINUE.support + perClass.SCHEDULE.support,
  };
  const missedSchedule: RateCount = {
    count: perClass.SCHEDULE.support - sched.SCHEDULE,
    of: perClass.SCHEDULE.support,
  };

  return {
    n,
    correct,
    accuracy: ratio(correct, n),
    invalid,
    invalidRate: ratio(invalid, n),
    macroF1: macroF1s.length === 0 ? null : macroF1s.reduce((a, b) => a + b, 0) / macroF1s.length,
    perClass,
    confusion,
    prematureEndRate: ratio(prematureEnd.count, prematureEnd.of),
    prematureEnd,
    missedScheduleRate: ratio(missedSchedule.count, missedSchedule.of),
    missedSchedule,
  };
}
