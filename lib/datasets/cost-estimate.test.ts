import { describe, expect, it } from 'vitest';
import { defaultEpochs, estimateCost } from './cost-estimate';

describe('cookbook cost estimate', () => {
  it('matches the reference epochs table', () => {
    const table: [number, number][] = [
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
    for (const [n, epochs] of table) expect(defaultEpochs(n), `n=${n}`).toBe(epochs);
  });

  it('reproduces the toy-file golden figure (o200k_base lengths)', () => {
    // reference §1.5: o200k convo_lens [43, 106, 26, 27, 8031] → billing 8233; 5 examples → 20 epochs.
    const e = estimateCost([43, 106, 26, 27, 8031]);
    expect(e.billingTokens).toBe(8233);
    expect(e.nEpochs).toBe(20);
    expect(e.chargedTokens).toBe(164_660);
    // and the cl100k golden figure, 8242 × 20 = 164,840
    expect(estimateCost([45, 111, 26, 28, 8032]).chargedTokens).toBe(164_840);
  });

  it('caps each example at 16,385 tokens', () => {
    expect(estimateCost([20_000, 10]).billingTokens).toBe(16_395);
  });
});
