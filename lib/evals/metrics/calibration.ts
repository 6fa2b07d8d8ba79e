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

/** One reliability bin's sums: what a SQL GROUP BY over the bin index returns. */
export interface CalibrationBinSums {
  count: number;
  /** Σ clamped confidence of the bin's predictions. */
  confidenceSum: number;
  /** Correct predictions in the bin. */
  hits: number;
}

/** The bin of a usable confidence: clamped to [0, 1], equal-width, 1 in the last bin. */
export function calibrationBin(confidence: number, binCount: number): number {
  return Math.min(binCount - 1, Math.floor(Math.min(1, Math.max(0, confidence)) * binCount));
}

/** Equal-width reliability bins over [0, 1] and the ECE computed from them (Guo et al., 2017). */
export function calibration(preds: readonly Prediction[], binCount = 10): Calibration {
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`binCount must be a positive integer, got ${binCount}`);
  const sums: CalibrationBinSums[] = Array.from({ length: binCount }, () => ({ count: 0, confidenceSum: 0, hits: 0 }));
  for (const p of preds) {
    const c = p.confidence;
    if (typeof c !== 'number' || !Number.isFinite(c)) continue;
    const b = sums[calibrationBin(c, binCount)];
    b.count += 1;
    b.confidenceSum += Math.min(1, Math.max(0, c));
    if (isCorrect(p)) b.hits += 1;
  }
  return calibrationFromBins(sums);
}

/** The reliability diagram and ECE from per-bin sums (bins equal-width over [0, 1], in order). */
export function calibrationFromBins(sums: readonly CalibrationBinSums[]): Calibration {
  const binCount = sums.length;
  const n = sums.reduce((a, b) => a + b.count, 0);
  let ece = 0;
  let maxGap = 0;
  const bins = sums.map(({ count: k, confidenceSum, hits }, b): ReliabilityBin => {
    const meanConfidence = ratio(confidenceSum, k);
    const accuracy = ratio(hits, k);
    if (k > 0) {
      const gap = Math.abs(accuracy! - meanConfidence!);
      ece += (k / n) * gap;
      maxGap = Math.max(maxGap, gap);
    }
    return { low: b / binCount, high: (b + 1) / binCount, count: k, meanConfidence, accuracy };
  });
  return { bins, ece: n ? ece : null, maxGap: n ? maxGap : null, n };
}
