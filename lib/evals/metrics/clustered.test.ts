import { describe, expect, it } from 'vitest';
import { bootstrapAccuracyInterval, clusteredAccuracyInterval } from './bootstrap';
import { mcnemarFromCounts } from './mcnemar';
import { createRng } from '../../prng';
import { calibration } from './calibration';
import { mcnemarTest, type McNemarPair } from './mcnemar';
import type { Label, Prediction } from './labels';

const pred = (ok: boolean, confidence: number | null = null): Prediction => ({ truth: 'END', predicted: ok ? 'END' : 'CONTINUE', confidence });

describe('cluster bootstrap', () => {
  it('is wider than the turn bootstrap when turns of a conversation are right or wrong together', () => {
    // 40 conversations of 10 turns; a conversation is all right or all wrong.
    const preds: Prediction[] = [];
    const clusters: number[] = [];
    for (let c = 0; c < 40; c++)
      for (let t = 0; t < 10; t++) {
        preds.push(pred(c % 4 !== 0));
        clusters.push(c);
      }
    const turns = bootstrapAccuracyInterval(preds, { seed: 3 })!;
    const convs = bootstrapAccuracyInterval(preds, { seed: 3, clusters })!;
    expect(turns.low).toBeLessThan(0.75);
    expect(convs.low).toBeLessThan(0.75);
    expect(convs.high - convs.low).toBeGreaterThan(2 * (turns.high - turns.low));
  });

  it('with one turn per conversation it matches the turn bootstrap closely', () => {
    const preds = Array.from({ length: 500 }, (_, i) => pred(i % 5 !== 0));
    const turns = bootstrapAccuracyInterval(preds, { seed: 9 })!;
    const convs = bootstrapAccuracyInterval(preds, { seed: 9, clusters: preds.map((_, i) => i) })!;
    expect(Math.abs(turns.low - convs.low)).toBeLessThan(0.02);
    expect(Math.abs(turns.high - convs.high)).toBeLessThan(0.02);
  });

  it('from per-conversation (hits, sizes) it is bit-for-bit the in-memory cluster bootstrap, packed or not, sliced or not', async () => {
    const rng = createRng(5);
    const preds: Prediction[] = [];
    const clusters: number[] = [];
    const hits: number[] = [];
    const sizes: number[] = [];
    for (let c = 0; c < 300; c++) {
      const n = rng.int(1, 15);
      const p = rng();
      let h = 0;
      for (let t = 0; t < n; t++) {
        const ok = rng() < p;
        h += ok ? 1 : 0;
        preds.push(pred(ok));
        clusters.push(1000 - c);
      }
      hits.push(h);
      sizes.push(n);
    }
    for (const seed of [1, 77]) {
      const expected = bootstrapAccuracyInterval(preds, { seed, clusters, resamples: 500 });
      const [h, z] = [Int32Array.from(hits), Int32Array.from(sizes)];
      expect(await clusteredAccuracyInterval(h, z, { seed, resamples: 500 })).toEqual(expected);
      expect(await clusteredAccuracyInterval(h, z, { seed, resamples: 500, pack: false })).toEqual(expected);
      expect(await clusteredAccuracyInterval(h, z, { seed, resamples: 500, sliceMs: 0 })).toEqual(expected);
    }
    expect(await clusteredAccuracyInterval(new Int32Array(0), new Int32Array(0))).toBeNull();
    await expect(clusteredAccuracyInterval(new Int32Array(1), new Int32Array(2))).rejects.toThrow(RangeError);
  });

  it('refuses clusters that do not line up with the predictions', () => {
    expect(() => bootstrapAccuracyInterval([pred(true), pred(false)], { clusters: [1] })).toThrow(/clusters has 1 entries for 2/);
  });
});

describe('clustered McNemar', () => {
  const pairs = (spec: [cluster: number, aCorrect: boolean, bCorrect: boolean][]): McNemarPair[] =>
    spec.map(([cluster, aCorrect, bCorrect]) => ({ cluster, aCorrect, bCorrect }));

  it('from counts (b01, b10, n, per-conversation |d|) it equals the test on the pairs, clustered or not', () => {
    const rng = createRng(21);
    for (const conversations of [30, 4000]) {
      const spec: [number, boolean, boolean][] = [];
      for (let c = 0; c < conversations; c++) for (let t = rng.int(1, 6); t > 0; t--) spec.push([c, rng.chance(0.7), rng.chance(0.6)]);
      const ps = pairs(spec);
      const diffs = new Map<number, number>();
      for (const [c, a, b] of spec) diffs.set(c, (diffs.get(c) ?? 0) + (a === b ? 0 : a ? 1 : -1));
      const counts = { b01: spec.filter(([, a, b]) => !a && b).length, b10: spec.filter(([, a, b]) => a && !b).length, n: spec.length };
      const clusterDiffs = [...diffs.values()].filter((d) => d !== 0).map(Math.abs);
      expect(mcnemarFromCounts({ ...counts, clusterDiffs })).toEqual(mcnemarTest(ps));
      expect(mcnemarFromCounts(counts)).toEqual(mcnemarTest(ps.map(({ aCorrect, bCorrect }) => ({ aCorrect, bCorrect }))));
    }
    expect(mcnemarFromCounts({ b01: 0, b10: 0, n: 0, clusterDiffs: [] })).toEqual(mcnemarTest([]));
  });

  it('equals the exact binomial test when every conversation holds one pair', () => {
    const spec: [number, boolean, boolean][] = [];
    for (let i = 0; i < 12; i++) spec.push([i, false, true]);
    for (let i = 12; i < 15; i++) spec.push([i, true, false]);
    for (let i = 15; i < 40; i++) spec.push([i, true, true]);
    const clustered = mcnemarTest(pairs(spec));
    const plain = mcnemarTest(spec.map(([, a, b]) => ({ aCorrect: a, bCorrect: b })));
    expect(clustered.method).toBe('cluster-exact');
    expect(plain.method).toBe('exact');
    expect(clustered.pValue).toBeCloseTo(plain.pValue, 12);
    expect(clustered).toMatchObject({ b01: 12, b10: 3, discordantClusters: 15 });
  });

  it('is far less sure when the discordant pairs all come from a few conversations', () => {
    // 30 discordant pairs in B's favour, but from only 3 conversations.
    const spec: [number, boolean, boolean][] = [];
    for (let c = 0; c < 3; c++) for (let t = 0; t < 10; t++) spec.push([c, false, true]);
    for (let c = 3; c < 50; c++) spec.push([c, true, true]);
    const clustered = mcnemarTest(pairs(spec));
    const plain = mcnemarTest(spec.map(([, a, b]) => ({ aCorrect: a, bCorrect: b })));
    expect(plain.significant).toBe(true);
    expect(clustered.significant).toBe(false);
    expect(clustered.pValue).toBeCloseTo(0.25, 12); // all 3 signs agree: 2 · (1/2)³
  });

  it('uses the Durkalski χ² when the exact distribution is too large to enumerate', () => {
    const spec: [number, boolean, boolean][] = [];
    for (let c = 0; c < 3000; c++) spec.push([c, c % 3 !== 0, c % 3 === 0 || c % 7 === 0]);
    const r = mcnemarTest(pairs(spec));
    expect(r.method).toBe('cluster-chi2');
    expect(r.statistic).toBeGreaterThan(0);
    expect(r.pValue).toBeGreaterThanOrEqual(0);
    expect(r.pValue).toBeLessThanOrEqual(1);
  });

  it('says p = 1 when the models never disagree', () => {
    expect(
      mcnemarTest(
        pairs([
          [1, true, true],
          [2, false, false],
        ]),
      ),
    ).toMatchObject({ pValue: 1, significant: false, discordantClusters: 0 });
  });
});

describe('calibration', () => {
  it('has zero error for a perfectly calibrated model and bins by confidence', () => {
    const preds: Prediction[] = [];
    // 10 at 0.8 (8 right), 10 at 0.4 (4 right)
    for (let i = 0; i < 10; i++) preds.push(pred(i < 8, 0.8), pred(i < 4, 0.4));
    const c = calibration(preds);
    expect(c.n).toBe(20);
    expect(c.ece).toBeCloseTo(0, 12);
    expect(c.bins[8]).toMatchObject({ count: 10, accuracy: 0.8 });
    expect(c.bins[4]).toMatchObject({ count: 10, accuracy: 0.4 });
    expect(c.bins[0]).toMatchObject({ count: 0, accuracy: null, meanConfidence: null });
  });

  it('measures overconfidence as the weighted gap, and puts confidence 1 in the last bin', () => {
    const preds = [pred(false, 1), pred(true, 1), pred(true, 0.95), pred(false, 0.95)];
    const c = calibration(preds);
    expect(c.bins[9].count).toBe(4);
    expect(c.ece).toBeCloseTo(Math.abs(0.5 - 0.975), 12);
  });

  it('leaves predictions without a confidence out and reports null when there are none', () => {
    expect(calibration([pred(true, null)])).toMatchObject({ n: 0, ece: null });
    const truth: Label = 'CONTINUE';
    expect(calibration([{ truth, predicted: 'CONTINUE', confidence: 0.55 }, pred(true, null)]).n).toBe(1);
  });
});
