// Training from files streamed off disk, with the features spilled to a file, gives the very
// model that training on the same examples in memory gives: same class order, same weights bit
// for bit, same held-out split — so moving a job's features to disk costs no quality.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleExamples, toJsonl, type ChatLine } from '../seed/examples';
import { FeatureBlocks } from './feature-store';
import { featurizeAll, MatrixBuilder } from './features';
import { fitClassifier, fitClassifierFromFiles, type FitResult } from './fit';
import { tempDataDir } from './testing/trainer';

const dir = tempDataDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: ChatLine[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, toJsonl(lines));
  return file;
}
const asSet = (lines: ChatLine[]) => ({ texts: lines.map((l) => l.messages[1].content), labels: lines.map((l) => l.messages[2].content) });
const hp = { epochs: 2, batchSize: 8, learningRateMultiplier: 1, seed: 7 };

function expectSameModel(a: FitResult, b: FitResult): void {
  expect(b.labels).toEqual(a.labels);
  expect(b.bestEpoch).toBe(a.bestEpoch);
  expect(b.calibration).toEqual(a.calibration);
  expect(Buffer.from(b.model.weights.buffer).equals(Buffer.from(a.model.weights.buffer))).toBe(true);
  expect(Array.from(b.model.bias)).toEqual(Array.from(a.model.bias));
}

describe('training from files', () => {
  const train = sampleExamples(400, 51);
  const valid = sampleExamples(60, 52);

  it('matches in-memory training, with a validation file and with a held-out tenth', () => {
    const spillPath = path.join(dir, 'features.tmp');
    const prepared: number[] = [];
    const fromFiles = fitClassifierFromFiles(
      { ...hp, trainingPath: write('t.jsonl', train), validationPath: write('v.jsonl', valid), spillPath, featureMemoryBytes: 0 },
      { onPrepared: (i) => prepared.push(i.examples, i.validExamples) },
    );
    expectSameModel(fitClassifier({ ...hp, train: asSet(train), valid: asSet(valid) }), fromFiles);
    expect(prepared).toEqual([400, 60]);
    // The spill file is unlinked as soon as it is opened.
    expect(fs.existsSync(spillPath)).toBe(false);

    let held = 0;
    const heldOut = fitClassifierFromFiles(
      { ...hp, trainingPath: path.join(dir, 't.jsonl'), validationPath: null, spillPath, featureMemoryBytes: 0 },
      { onPrepared: (i) => (held = i.heldOutFromTraining ? i.validExamples : -1) },
    );
    expect(held).toBeGreaterThan(0);
    expectSameModel(fitClassifier({ ...hp, train: asSet(train) }), heldOut);
  });
});

describe('feature blocks', () => {
  it('reads the same rows back from memory and from the spill file', () => {
    const texts = sampleExamples(300, 53).map((l) => l.messages[1].content);
    const inMemory = featurizeAll(texts);
    const store = new FeatureBlocks({ budgetBytes: 64 * 1024, spillPath: path.join(dir, 'blocks.tmp') });
    const b = new MatrixBuilder(store);
    for (const t of texts) b.add(t);
    store.finish();
    const spilled = b.build();
    expect(store.onDisk).toBe(true);
    for (let r = 0; r < texts.length; r += 7) {
      const a = inMemory.store.row(inMemory.block[r], inMemory.start[r], inMemory.length[r]);
      const want = Array.from(a.subarray(inMemory.store.offset, inMemory.store.offset + inMemory.length[r]));
      const got = spilled.store.row(spilled.block[r], spilled.start[r], spilled.length[r]);
      expect(Array.from(got.subarray(spilled.store.offset, spilled.store.offset + spilled.length[r]))).toEqual(want);
    }
    store.close();
  });
});
