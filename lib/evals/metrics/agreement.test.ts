import { describe, expect, it } from 'vitest';
import { cohenKappa, emptyPairMatrix, fleissKappa, pairMatrix } from './agreement';

describe('cohenKappa', () => {
  it('is null without pairs and 1 for perfect agreement', () => {
    expect(cohenKappa(emptyPairMatrix()).kappa).toBeNull();
    const m = pairMatrix([
      { a: 'END', b: 'END' },
      { a: 'CONTINUE', b: 'CONTINUE' },
      { a: 'SCHEDULE', b: 'SCHEDULE' },
    ]);
    expect(cohenKappa(m).kappa).toBe(1);
  });

  it('matches a hand-computed 3×3 case', () => {
    // 50 turns: po = (20+15+8)/50; row totals 25, 17, 8; column totals 22, 20, 8
    const m = emptyPairMatrix();
    m.END.END = 20;
    m.END.CONTINUE = 5;
    m.CONTINUE.END = 2;
    m.CONTINUE.CONTINUE = 15;
    m.SCHEDULE.SCHEDULE = 8;
    const k = cohenKappa(m);
    expect(k.n).toBe(50);
    expect(k.observed).toBeCloseTo(43 / 50, 10);
    const pe = (25 * 22 + 17 * 20 + 8 * 8) / 2500;
    expect(k.expected).toBeCloseTo(pe, 10);
    expect(k.kappa).toBeCloseTo((43 / 50 - pe) / (1 - pe), 10);
  });

  it('is near 0 for raters that agree only by chance and negative below chance', () => {
    const m = emptyPairMatrix();
    for (const a of ['END', 'CONTINUE', 'SCHEDULE'] as const) for (const b of ['END', 'CONTINUE', 'SCHEDULE'] as const) m[a][b] = 10;
    expect(cohenKappa(m).kappa).toBeCloseTo(0, 10);
    const opposite = pairMatrix([
      { a: 'END', b: 'CONTINUE' },
      { a: 'CONTINUE', b: 'END' },
    ]);
    expect(cohenKappa(opposite).kappa!).toBeLessThan(0);
  });
});

describe('fleissKappa', () => {
  it('ignores items with one rating and is 1 when all raters agree', () => {
    const k = fleissKappa([
      { END: 3, CONTINUE: 0, SCHEDULE: 0 },
      { END: 0, CONTINUE: 2, SCHEDULE: 0 },
      { END: 0, CONTINUE: 0, SCHEDULE: 1 },
    ]);
    expect(k.items).toBe(2);
    expect(k.kappa).toBe(1);
  });

  it('equals the textbook formula for a fixed rater count', () => {
    const items = [
      { END: 2, CONTINUE: 1, SCHEDULE: 0 },
      { END: 0, CONTINUE: 3, SCHEDULE: 0 },
      { END: 1, CONTINUE: 1, SCHEDULE: 1 },
      { END: 0, CONTINUE: 0, SCHEDULE: 3 },
    ];
    // Pi: (2+0+0)/6, 6/6, 0/6, 6/6 -> mean = (1/3 + 1 + 0 + 1)/4
    const po = (1 / 3 + 1 + 0 + 1) / 4;
    const p = [3 / 12, 5 / 12, 4 / 12];
    const pe = p.reduce((s, x) => s + x * x, 0);
    const k = fleissKappa(items);
    expect(k.observed).toBeCloseTo(po, 10);
    expect(k.expected).toBeCloseTo(pe, 10);
    expect(k.kappa).toBeCloseTo((po - pe) / (1 - pe), 10);
    // Per-label κ_j = 1 − Σ n_ij(n − n_ij) / (N n (n−1) p_j q_j) with N = 4, n = 3
    const endJ = 1 - (2 * 1 + 1 * 2) / (4 * 3 * 2 * p[0] * (1 - p[0]));
    expect(k.perLabel.END.kappa).toBeCloseTo(endJ, 10);
  });
});
