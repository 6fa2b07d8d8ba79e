import { describe, expect, it } from 'vitest';
import { decide, PREMATURE_END_COST } from './decision';

const LABELS = ['CONTINUE', 'END', 'SCHEDULE'];

describe('decision', () => {
  it('answers the most probable label when it is not END', () => {
    expect(decide(LABELS, [0.5, 0.2, 0.3])).toBe(0);
    expect(decide(LABELS, [0.1, 0.3, 0.6])).toBe(2);
  });

  it('answers END only when its expected cost beats the best other label', () => {
    // Confident END: ended.
    expect(decide(LABELS, [0.1, 0.85, 0.05])).toBe(1);
    // END barely ahead of CONTINUE: a premature END costs more than a needless CONTINUE.
    expect(decide(LABELS, [0.4, 0.45, 0.15])).toBe(0);
    // With SCHEDULE at 0, END iff cost · (1 − pE) < pE, i.e. pE > cost / (1 + cost) (> ½).
    const edge = PREMATURE_END_COST / (1 + PREMATURE_END_COST);
    expect(edge).toBeGreaterThan(0.5);
    expect(decide(LABELS, [1 - (edge + 0.01), edge + 0.01, 0])).toBe(1);
    expect(decide(LABELS, [1 - (edge - 0.01), edge - 0.01, 0])).toBe(0);
  });

  it('falls back to the most probable label for label sets without END', () => {
    expect(decide(['A', 'B'], [0.3, 0.7])).toBe(1);
  });
});
