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
  return { threshold, coverage: ratio(covered, preds.length), accuracy: ratio(correct, covered), covered, correct };
}

/**
 * Points at thresholds 0, 1/steps, …, 1 (default steps = 20 → 0, 0.05, …, 1). Thresholds are
 * i / steps rather than repeated + 0.05 so they are the doubles nearest the decimal values
 * (0.15, not 0.15000000000000002) and compare as expected against stored confidences.
 * O(steps × n), which is fine for 21 steps.
 */
export function thresholdCurve(preds: readonly Prediction[], steps = 20): ThresholdPoint[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const points: ThresholdPoint[] = [];
  for (let i = 0; i <= steps; i++) points.push(thresholdMetrics(preds, i / steps));
  return points;
}
