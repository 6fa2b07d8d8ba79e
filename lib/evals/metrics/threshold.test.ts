import { describe, expect, it } from 'vitest';
import type { Prediction } from './labels';
import { hasConfidences, thresholdCurve, thresholdMetrics } from './threshold';

//  confidence  correct?
//  0.9         yes
//  0.8         no  (END predicted for CONTINUE)
//  0.6         yes
//  0.3         yes
//  null        yes  ← never covered, even at threshold 0
//  0.7         no  (invalid, but the provider still reported a confidence)
const preds: Prediction[] = [
  { truth: 'END', predicted: 'END', confidence: 0.9 },
  { truth: 'CONTINUE', predicted: 'END', confidence: 0.8 },
  { truth: 'SCHEDULE', predicted: 'SCHEDULE', confidence: 0.6 },
  { truth: 'CONTINUE', predicted: 'CONTINUE', confidence: 0.3 },
  { truth: 'END', predicted: 'END', confidence: null },
  { truth: 'SCHEDULE', predicted: 'invalid', confidence: 0.7 },
];

describe('thresholdMetrics', () => {
  it('covers confidence ≥ threshold (inclusive)', () => {
    // ≥ 0.6: 0.9 ✓, 0.8 ✗, 0.6 ✓, 0.7 ✗ → covered 4 of 6, correct 2
    expect(thresholdMetrics(preds, 0.6)).toEqual({ threshold: 0.6, coverage: 4 / 6, accuracy: 2 / 4, covered: 4, correct: 2 });
    // ≥ 0.85: only 0.9 ✓
    expect(thresholdMetrics(preds, 0.85)).toEqual({ threshold: 0.85, coverage: 1 / 6, accuracy: 1, covered: 1, correct: 1 });
  });

  it('null confidence is never covered, even at threshold 0', () => {
    // 5 have a confidence; correct among them: 0.9, 0.6, 0.3 → 3
    expect(thresholdMetrics(preds, 0)).toEqual({ threshold: 0, coverage: 5 / 6, accuracy: 3 / 5, covered: 5, correct: 3 });
  });

  it('nothing covered → accuracy null; no predictions → coverage null', () => {
    expect(thresholdMetrics(preds, 0.95)).toEqual({ threshold: 0.95, coverage: 0, accuracy: null, covered: 0, correct: 0 });
    expect(thresholdMetrics([], 0.5)).toEqual({ threshold: 0.5, coverage: null, accuracy: null, covered: 0, correct: 0 });
  });
});

describe('thresholdCurve', () => {
  it('has 21 points 0, 0.05, …, 1 with exact decimal thresholds', () => {
    const curve = thresholdCurve(preds);
    expect(curve).toHaveLength(21);
    expect(curve[0].threshold).toBe(0);
    expect(curve[3].threshold).toBe(0.15);
    expect(curve[20].threshold).toBe(1);
    expect(curve[12]).toEqual(thresholdMetrics(preds, 0.6));
    expect(curve[20]).toMatchObject({ covered: 0, accuracy: null });
    // Coverage never grows as the threshold rises.
    for (let i = 1; i < curve.length; i++) expect(curve[i].covered).toBeLessThanOrEqual(curve[i - 1].covered);
  });

  it('accepts a custom step count and rejects nonsense', () => {
    expect(thresholdCurve(preds, 4).map((p) => p.threshold)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => thresholdCurve(preds, 0)).toThrow(RangeError);
  });
});

describe('hasConfidences', () => {
  it('is true only when some prediction carries a finite confidence', () => {
    expect(hasConfidences(preds)).toBe(true);
    expect(hasConfidences([{ confidence: null }, { confidence: NaN }])).toBe(false);
    expect(hasConfidences([])).toBe(false);
  });
});
