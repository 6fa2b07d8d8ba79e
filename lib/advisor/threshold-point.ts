import type { ThresholdPoint } from '../evals/metrics/threshold';

/** The curve point a threshold falls on: the highest grid threshold at or below it. */
export function pointAt(curve: readonly ThresholdPoint[] | null | undefined, threshold: number): ThresholdPoint | null {
  if (!curve?.length || !Number.isFinite(threshold)) return null;
  let best: ThresholdPoint | null = null;
  for (const p of curve) if (p.threshold <= threshold + 1e-9 && (!best || p.threshold > best.threshold)) best = p;
  return best;
}
