import { describe, expect, it } from 'vitest';
import { autoBatchSize, autoEpochs, resolveHyperparameters } from './hyperparameters';

describe('auto hyperparameters', () => {
  it('picks epochs by the cookbook rule (reference §1.5 values)', () => {
    const expected: [number, number][] = [
      [1, 25],
      [4, 25],
      [5, 20],
      [10, 10],
      [30, 3],
      [33, 3],
      [100, 3],
      [8333, 3],
      [8334, 2],
      [10000, 2],
      [12501, 1],
      [30000, 1],
    ];
    for (const [n, epochs] of expected) expect(autoEpochs(n), `n=${n}`).toBe(epochs);
  });

  it('scales the batch with the data within 1..256', () => {
    expect(autoBatchSize(60)).toBe(1);
    expect(autoBatchSize(10_000)).toBe(20);
    expect(autoBatchSize(1_000_000)).toBe(256);
  });

  it('keeps explicit values', () => {
    expect(resolveHyperparameters({ n_epochs: 7, batch_size: 'auto', learning_rate_multiplier: 0.3 }, 100)).toEqual({
      n_epochs: 7,
      batch_size: 1,
      learning_rate_multiplier: 0.3,
    });
  });
});
