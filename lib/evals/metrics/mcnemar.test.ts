import { describe, expect, it } from 'vitest';
import type { KeyedPrediction } from './mcnemar';
import { chiSquare1dfPValue, erfc, mcnemarTest, pairPredictions, type McNemarPair } from './mcnemar';

/** b01 pairs (A wrong, B right), b10 pairs (A right, B wrong), plus concordant filler. */
function pairs(b01: number, b10: number, bothRight = 0, bothWrong = 0): McNemarPair[] {
  const mk = (aCorrect: boolean, bCorrect: boolean, k: number) => Array.from({ length: k }, () => ({ aCorrect, bCorrect }));
  return [...mk(false, true, b01), ...mk(true, false, b10), ...mk(true, true, bothRight), ...mk(false, false, bothWrong)];
}

describe('erfc / chi-square p', () => {
  it('matches reference values to ~1e-7', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(2)).toBeCloseTo(0.004677734981047, 8);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    // Critical values of χ²₁: 3.841459 ↔ 0.05, 6.634897 ↔ 0.01, 10.827566 ↔ 0.001.
    expect(chiSquare1dfPValue(3.841459)).toBeCloseTo(0.05, 6);
    expect(chiSquare1dfPValue(6.634897)).toBeCloseTo(0.01, 7);
    expect(chiSquare1dfPValue(10.827566)).toBeCloseTo(0.001, 8);
    expect(chiSquare1dfPValue(0)).toBe(1);
  });
});

describe('mcnemarTest', () => {
  it('exact: b01 = 10, b10 = 2 → p = 2·(1 + 12 + 66)/4096 = 0.0386', () => {
    const r = mcnemarTest(pairs(10, 2, 50, 7));
    expect(r).toMatchObject({ b01: 10, b10: 2, n: 69, method: 'exact', statistic: null, significant: true });
    expect(r.pValue).toBeCloseTo((2 * 79) / 4096, 12);
    expect(r.pValue).toBeCloseTo(0.0386, 4);
  });

  it('exact is symmetric in A/B and capped at 1', () => {
    expect(mcnemarTest(pairs(2, 10)).pValue).toBe(mcnemarTest(pairs(10, 2)).pValue);
    // b01 = b10 = 3: 2·P(X ≤ 3 | 6) = 2·42/64 > 1 → 1
    expect(mcnemarTest(pairs(3, 3)).pValue).toBe(1);
    // b01 = 5, b10 = 0: 2·(1/32) = 0.0625, not significant at 0.05
    expect(mcnemarTest(pairs(5, 0))).toMatchObject({ pValue: 0.0625, significant: false });
  });

  it('chi2-cc: b01 = 30, b10 = 15 → (15 − 1)²/45 = 4.3556, p ≈ 0.0369', () => {
    const r = mcnemarTest(pairs(30, 15, 100));
    expect(r.method).toBe('chi2-cc');
    expect(r.statistic).toBeCloseTo(196 / 45, 12);
    expect(r.statistic).toBeCloseTo(4.3556, 4);
    expect(r.pValue).toBeCloseTo(0.0369, 4);
    expect(r.significant).toBe(true);
    expect(mcnemarTest(pairs(30, 15), { alpha: 0.01 }).significant).toBe(false);
  });

  it('switches to chi2-cc at exactly 25 discordant pairs', () => {
    expect(mcnemarTest(pairs(12, 12)).method).toBe('exact');
    expect(mcnemarTest(pairs(13, 12)).method).toBe('chi2-cc');
  });

  it('zero discordant pairs → p = 1, not significant', () => {
    expect(mcnemarTest(pairs(0, 0, 40, 10))).toEqual({ b01: 0, b10: 0, n: 50, statistic: null, pValue: 1, method: 'exact', significant: false });
    expect(mcnemarTest([])).toMatchObject({ n: 0, pValue: 1, significant: false });
  });
});

describe('pairPredictions', () => {
  const a: KeyedPrediction[] = [
    { key: 'c1:1', truth: 'END', predicted: 'END' }, // A right
    { key: 'c1:2', truth: 'CONTINUE', predicted: 'END' }, // A wrong
    { key: 'c2:1', truth: 'SCHEDULE', predicted: 'invalid' }, // A wrong
    { key: 'only-a', truth: 'END', predicted: 'END' },
  ];
  const b: KeyedPrediction[] = [
    { key: 'c2:1', truth: 'SCHEDULE', predicted: 'SCHEDULE' }, // B right
    { key: 'c1:2', truth: 'CONTINUE', predicted: 'CONTINUE' }, // B right
    { key: 'c1:1', truth: 'END', predicted: 'CONTINUE' }, // B wrong
    { key: 'only-b1', truth: 'END', predicted: 'END' },
    { key: 'only-b2', truth: 'END', predicted: 'END' },
  ];

  it('joins by key in A order and counts the unmatched', () => {
    const r = pairPredictions(a, b);
    expect(r.pairs).toEqual([
      { key: 'c1:1', aCorrect: true, bCorrect: false },
      { key: 'c1:2', aCorrect: false, bCorrect: true },
      { key: 'c2:1', aCorrect: false, bCorrect: true },
    ]);
    expect(r).toMatchObject({ unmatched: 3, onlyInA: 1, onlyInB: 2 });
    expect(mcnemarTest(r.pairs)).toMatchObject({ b01: 2, b10: 1, n: 3 });
  });

  it('throws on a duplicate key', () => {
    expect(() => pairPredictions([...a, a[0]], b)).toThrow(/duplicate.*run A/);
    expect(() => pairPredictions(a, [...b, b[0]])).toThrow(/duplicate.*run B/);
  });
});
