import { isCorrect, ratio, type Prediction } from './labels';

// Selective prediction: act on the model only when it is confident enough, hand the rest to a
// human. Coverage is how much it still handles; accuracy is how good it is on that part.

export interface ThresholdPoint {
  threshold: number;
  /** covered / n; null when n = 0. */
  coverage: number | null;
  /** correct / covered; null when nothing is covered. */
  accuracy: number | null;
  covered: number;
  correct: number;
}

/** A confidence we can compare: null, NaN and ±Infinity mean "the model gave none". */
function usableConfidence(c: number | null): c is number {
  return typeof c === 'number' && Number.isFinite(c);
}

export function hasConfidences(preds: readonly Pick<Prediction, 'confidence'>[]): boolean {
  return preds.some((p) => usableConfidence(p.confidence));
}

/** Covered = confidence ≥ threshold. A missing confidence is never covered, even at 0. */
export function thresholdMetrics(preds: readonly Prediction[], threshold: number): ThresholdPoint {
  let covered = 0;
  let correct = 0;
  for (const p of preds) {
    if (!usableConfidence(p.confidence) || p.confidence < threshold) continue;
    covered += 1;
    if (isCorrect(p)) correct += 1;
  }
  return thresholdPoint(threshold, preds.length, covered, correct);
}

/** A point from counts: `n` predictions, `covered` of them at or above the threshold, `correct` of those right. */
export function thresholdPoint(threshold: number, n: number, covered: number, correct: number): ThresholdPoint {
  return { threshold, coverage: ratio(covered, n), accuracy: ratio(correct, covered), covered, correct };
}

/** The curve's thresholds: i / steps for i = 0..steps (see thresholdCurve). */
export function thresholdGrid(steps = 20): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  return Array.from({ length: steps + 1 }, (_, i) => i / steps);
}

/**
 * Points at thresholds 0, 1/steps, …, 1 (default steps = 20 → 0, 0.05, …, 1). Thresholds are
 * i / steps rather than repeated + 0.05 so they are the doubles nearest the decimal values
 * (0.15, not 0.15000000000000002) and compare as expected against stored confidences.
 * O(steps × n), which is fine for 21 steps.
 */
export function thresholdCurve(preds: readonly Prediction[], steps = 20): ThresholdPoint[] {
  return thresholdGrid(steps).map((t) => thresholdMetrics(preds, t));
}
