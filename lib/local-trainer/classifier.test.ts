import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyClassifier, loadWeights, predictProba, saveWeights } from './classifier';
import { DIM, FeatureBuffer, featurize, featurizeAll, GROUP_SHIFT } from './features';
import { tempDataDir } from './testing/trainer';

describe('features', () => {
  it('hashes the same text to the same buckets', () => {
    const a = new FeatureBuffer();
    const b = new FeatureBuffer();
    const text = "[start] Recruiter: Hi there\n[+2h 5m] Candidate: Tuesday at 3pm works\n[+1m] Recruiter's turn: END, CONTINUE or SCHEDULE?";
    featurize(text, a);
    featurize(text, b);
    expect(Array.from(a.idx.subarray(0, a.n))).toEqual(Array.from(b.idx.subarray(0, b.n)));
    expect(a.n).toBeGreaterThan(50);
    for (let i = 0; i < a.n; i++) expect(a.idx[i]).toBeLessThan(DIM);
    // The packed training matrix holds the same buckets.
    const m = featurizeAll([text]);
    const row = m.store.row(m.block[0], m.start[0], m.length[0]);
    expect(Array.from(row.subarray(m.store.offset, m.store.offset + m.length[0]), (p) => p & ((1 << GROUP_SHIFT) - 1))).toEqual(
      Array.from(a.idx.subarray(0, a.n)),
    );
  });
});

describe('weights file', () => {
  it('round-trips a sparse model', () => {
    const model = emptyClassifier(['A', 'B', 'C']);
    model.weights[5 * 3 + 1] = 0.5;
    model.weights[(DIM - 1) * 3 + 2] = -1.25;
    model.bias.set([0.1, 0.2, -0.3]);
    const dir = tempDataDir();
    const file = path.join(dir, 'w.bin');
    saveWeights(model, file);
    expect(fs.statSync(file).size).toBe(16 + 12 + 8 + 24);
    const back = loadWeights(['A', 'B', 'C'], file);
    expect(back.weights).toEqual(model.weights);
    expect(back.bias).toEqual(model.bias);
    expect(Array.from(predictProba(back, 'hello'))).toEqual(Array.from(predictProba(model, 'hello')));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
