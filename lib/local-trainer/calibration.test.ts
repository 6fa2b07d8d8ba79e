// Temperature scaling on a synthetic, deliberately over-confident classifier: the true class
// probabilities are known, the logits are those of the truth sharpened ×3 and tilted toward
// one class, and the fit must bring the expected calibration error down and recover T ≈ 3.
import { describe, expect, it } from 'vitest';
import { createRng } from '../prng';
import { applyCalibration, expectedCalibrationError, fitCalibration } from './calibration';
import { emptyClassifier } from './classifier';

const K = 3;

function miscalibrated(n: number, seed: number) {
  const rng = createRng(seed);
  const logits = new Float64Array(n * K);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // True logits: random, then the label is drawn from softmax(true logits).
    const t = Array.from({ length: K }, () => rng() * 3);
    const e = t.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    let r = rng() * s;
    let k = 0;
    while ((r -= e[k]) > 0 && k < K - 1) k++;
    y[i] = k;
    // The model is three times too sharp and believes class 0 more than it should.
    for (let j = 0; j < K; j++) logits[i * K + j] = 3 * t[j] + (j === 0 ? 1 : 0);
  }
  return { logits, y };
}

function topConfidence(logits: Float64Array, y: Int32Array, T: number, b: number[]) {
  const conf: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < y.length; i++) {
    const z = Array.from({ length: K }, (_, k) => logits[i * K + k] / T + b[k]);
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const s = e.reduce((a, c) => a + c, 0);
    const best = e.indexOf(Math.max(...e));
    conf.push(e[best] / s);
    correct.push(best === y[i]);
  }
  return { conf, correct };
}

describe('calibration', () => {
  it('fits a temperature that reduces the expected calibration error on held-out data', () => {
    const fitSet = miscalibrated(3000, 1);
    const test = miscalibrated(3000, 2);
    const c = fitCalibration(fitSet.logits, fitSet.y, K);
    expect(c.temperature).toBeGreaterThan(2.4);
    expect(c.temperature).toBeLessThan(3.6);
    // The tilt toward class 0 is taken back by the bias.
    expect(c.bias[0]).toBeLessThan(c.bias[1]);

    const before = topConfidence(test.logits, test.y, 1, [0, 0, 0]);
    const after = topConfidence(test.logits, test.y, c.temperature, c.bias);
    const eceBefore = expectedCalibrationError(before.conf, before.correct);
    const eceAfter = expectedCalibrationError(after.conf, after.correct);
    expect(eceBefore).toBeGreaterThan(0.1);
    expect(eceAfter).toBeLessThan(0.03);
  });

  it('never sharpens below the minimum temperature and ignores unknown labels', () => {
    const { logits, y } = miscalibrated(500, 3);
    // Logits divided by 10: under-confident, so the free fit would sharpen (T < 1).
    const soft = logits.map((x) => x / 10);
    expect(fitCalibration(soft, y, K).temperature).toBeLessThan(0.6);
    expect(fitCalibration(soft, y, K, { minTemperature: 1 }).temperature).toBe(1);
    const c = fitCalibration(new Float64Array(K * 2), Int32Array.from([-1, -1]), K);
    expect(c).toEqual({ temperature: 1, bias: [0, 0, 0] });
  });

  it('moves the class bias on a large held-out set but hardly on a few dozen turns', () => {
    // Calibrated logits, then class 0 a whole logit too likely: a big held-out set shows it, and
    // the shift is taken back. On 25 calibrated examples any shift is chance, so b stays small.
    const tilted = (n: number, seed: number, tilt = 1) => {
      const { logits, y } = miscalibrated(n, seed);
      return { logits: logits.map((x, i) => (x - (i % K === 0 ? 1 : 0)) / 3 + (i % K === 0 ? tilt : 0)), y };
    };
    const big = tilted(3000, 4);
    const cBig = fitCalibration(big.logits, big.y, K);
    expect(cBig.bias[0] - (cBig.bias[1] + cBig.bias[2]) / 2).toBeLessThan(-0.6);
    for (const seed of [5, 6, 7, 8, 9, 10]) {
      const small = tilted(25, seed, 0);
      const c = fitCalibration(small.logits, small.y, K);
      for (const x of c.bias) expect(Math.abs(x)).toBeLessThan(0.5);
    }
  });

  it('bakes the fit into the weights: W / T and bias / T + b', () => {
    const m = emptyClassifier(['A', 'B', 'C']);
    m.weights[7 * 3 + 1] = 2;
    m.bias.set([1, 0, -1]);
    const out = applyCalibration(m, { temperature: 2, bias: [0.5, 0, -0.5] });
    expect(out.weights[7 * 3 + 1]).toBe(1);
    expect(Array.from(out.bias)).toEqual([1, 0, -1]);
    expect(m.weights[7 * 3 + 1]).toBe(2);
  });

  it('computes ECE as the weighted gap between confidence and accuracy per bin', () => {
    expect(expectedCalibrationError([0.9, 0.9, 0.9, 0.9], [true, true, true, false])).toBeCloseTo(0.15);
    expect(expectedCalibrationError([0.75, 0.25], [true, false])).toBeCloseTo(0.25);
    expect(expectedCalibrationError([], [])).toBe(0);
  });
});
