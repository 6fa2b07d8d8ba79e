import { describe, expect, it } from 'vitest';
import { bootstrapAccuracyInterval, mulberry32 } from './bootstrap';
import { predictionsFromCounts } from './test-fixtures';

// accuracy = correct / (correct + wrong); wrong split between a mistake and an invalid answer.
const run = (correct: number, wrong: number) =>
  predictionsFromCounts({ END: { END: correct, CONTINUE: Math.ceil(wrong / 2) }, CONTINUE: { invalid: Math.floor(wrong / 2) } });

describe('mulberry32', () => {
  it('is a deterministic uint32 stream per seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(Array.from({ length: 5 }, c)).not.toEqual(xs);
    for (const x of xs) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });
});

describe('bootstrapAccuracyInterval', () => {
  it('is deterministic for a seed and varies with it', () => {
    // n = 1005, so resampled accuracies are fine-grained enough that two seeds' quantiles
    // differ (with n = 100 both seeds often land on the same 0.01 grid point).
    const preds = run(703, 302);
    const first = bootstrapAccuracyInterval(preds, { seed: 7 });
    expect(bootstrapAccuracyInterval(preds, { seed: 7 })).toEqual(first);
    expect(bootstrapAccuracyInterval(preds, { seed: 8 })).not.toEqual(first);
  });

  it('draws its indices from the mulberry32(seed) stream', () => {
    // One resample → low = high = that resample's accuracy, recomputable from mulberry32.
    const preds = run(6, 7); // flags: 6 correct, then 7 wrong
    const next = mulberry32(99);
    let hits = 0;
    for (let i = 0; i < preds.length; i++) hits += Math.floor((next() / 2 ** 32) * preds.length) < 6 ? 1 : 0;
    expect(bootstrapAccuracyInterval(preds, { resamples: 1, seed: 99 })).toEqual({ low: hits / 13, high: hits / 13 });
  });

  it('contains the point estimate and is plausibly sized', () => {
    // n = 100, p = 0.7: normal-approx 95% half-width ≈ 1.96·√(0.21/100) ≈ 0.09.
    const ci = bootstrapAccuracyInterval(run(70, 30));
    expect(ci).not.toBeNull();
    expect(ci!.low).toBeLessThanOrEqual(0.7);
    expect(ci!.high).toBeGreaterThanOrEqual(0.7);
    expect(ci!.high - ci!.low).toBeGreaterThan(0.14);
    expect(ci!.high - ci!.low).toBeLessThan(0.22);
  });

  it('narrows as n grows and widens with confidence', () => {
    const width = (ci: { low: number; high: number } | null) => ci!.high - ci!.low;
    const small = width(bootstrapAccuracyInterval(run(35, 15)));
    const large = width(bootstrapAccuracyInterval(run(3500, 1500)));
    expect(large).toBeLessThan(small / 5); // √100 = 10× narrower in theory
    const preds = run(70, 30);
    expect(width(bootstrapAccuracyInterval(preds, { confidence: 0.8 }))).toBeLessThan(width(bootstrapAccuracyInterval(preds, { confidence: 0.99 })));
  });

  it('all correct → [1, 1]; all wrong → [0, 0]; empty → null', () => {
    expect(bootstrapAccuracyInterval(run(40, 0))).toEqual({ low: 1, high: 1 });
    expect(bootstrapAccuracyInterval(run(0, 40))).toEqual({ low: 0, high: 0 });
    expect(bootstrapAccuracyInterval([])).toBeNull();
  });

  it('rejects bad options', () => {
    expect(() => bootstrapAccuracyInterval(run(1, 1), { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapAccuracyInterval(run(1, 1), { confidence: 1 })).toThrow(RangeError);
  });

  it('2000 resamples × 5000 predictions runs fast', () => {
    const preds = run(4000, 1000);
    const t0 = performance.now();
    const ci = bootstrapAccuracyInterval(preds, { resamples: 2000 });
    const ms = performance.now() - t0;
    expect(ci!.low).toBeLessThan(0.8);
    expect(ci!.high).toBeGreaterThan(0.8);
    // Target is < 100 ms; the assertion leaves slack for a loaded CI machine.
    expect(ms).toBeLessThan(500);
  });
});
