// Test-only helpers: build prediction lists from confusion-matrix counts, so a test can state
// its matrix once and derive every expectation from it by hand.
import { LABELS, PREDICTED, type Label, type PredictedLabel, type Prediction } from './labels';

export type Counts = Partial<Record<Label, Partial<Record<PredictedLabel, number>>>>;

export function predictionsFromCounts(counts: Counts, confidence: number | null = null): Prediction[] {
  const out: Prediction[] = [];
  for (const truth of LABELS) {
    for (const predicted of PREDICTED) {
      const k = counts[truth]?.[predicted] ?? 0;
      for (let i = 0; i < k; i++) out.push({ truth, predicted, confidence });
    }
  }
  return out;
}

/** Fails the test with the path of the first NaN found anywhere in a value. */
export function findNaN(value: unknown, path = '$'): string | null {
  if (typeof value === 'number') return Number.isNaN(value) ? path : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNaN(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}
