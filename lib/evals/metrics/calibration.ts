import { isCorrect, ratio, type Prediction } from './labels';

// Calibration: when the advisor says 0.8, is it right 80% of the time? The chatbot acts on
// `confidence >= 0.7`, so a confidence that overstates itself turns straight into wrong actions.

export interface ReliabilityBin {
  /** [low, high) except the last bin, which includes 1. */
  low: number;
  high: number;
  count: number;
  /** Mean confidence of the predictions in the bin; null when empty. */
  meanConfidence: number | null;
  /** Share of them that were right; null when empty. */
  accuracy: number | null;
}

export interface Calibration {
  bins: ReliabilityBin[];
  /** Expected calibration error: Σ (n_b / N) · |accuracy_b − confidence_b|; null without confidences. */
  ece: number | null;
  /** The largest gap of a non-empty bin. */
  maxGap: number | null;
  /** Predictions that carried a usable confidence (the others are not in any bin). */
  n: number;
}

/** Equal-width reliability bins over [0, 1] and the ECE computed from them (Guo et al., 2017). */
export function calibration(preds: readonly Prediction[], binCount = 10): Calibration {
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`binCount must be a positive integer, got ${binCount}`);
  const count = new Array<number>(binCount).fill(0);
  const confSum = new Array<number>(binCount).fill(0);
  const hits = new Array<number>(binCount).fill(0);
  let n = 0;
  for (const p of preds) {
    const c = p.confidence;
    if (typeof c !== 'number' || !Number.isFinite(c)) continue;
    const clamped = Math.min(1, Math.max(0, c));
    const b = Math.min(binCount - 1, Math.floor(clamped * binCount));
    count[b] += 1;
    confSum[b] += clamped;
    if (isCorrect(p)) hits[b] += 1;
    n += 1;
  }
  let ece = 0;
  let maxGap = 0;
  const bins = count.map((k, b): ReliabilityBin => {
    const meanConfidence = ratio(confSum[b], k);
    const accuracy = ratio(hits[b], k);
    if (k > 0) {
      const gap = Math.abs(accuracy! - meanConfidence!);
      ece += (k / n) * gap;
      maxGap = Math.max(maxGap, gap);
    }
    return { low: b / binCount, high: (b + 1) / binCount, count: k, meanConfidence, accuracy };
  });
  return { bins, ece: n ? ece : null, maxGap: n ? maxGap : null, n };
}
