import { describe, expect, it } from 'vitest';
import { apportion, assignNewConversations, type SplitCandidate } from './split-assignment';
import type { SplitName } from './params';
import type { LabelValueName } from '../labeling/label-values';

const ratios = { train: 0.8, validation: 0.1, test: 0.1 };

function candidates(n: number, stratum: LabelValueName, from = 0): SplitCandidate[] {
  return Array.from({ length: n }, (_, i) => ({ conversationId: from + i, externalId: `c-${from + i}`, stratum }));
}

function count(m: Map<number, SplitName>) {
  const c = { train: 0, validation: 0, test: 0 };
  for (const s of m.values()) c[s]++;
  return c;
}

describe('split assignment', () => {
  it('apportions by largest remainder', () => {
    expect(apportion(10, [0.8, 0.1, 0.1])).toEqual([8, 1, 1]);
    expect(apportion(3, [0.8, 0.1, 0.1])).toEqual([3, 0, 0]);
    expect(apportion(7, [0, 0, 1])).toEqual([0, 0, 7]);
    expect(apportion(5, [0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('stratifies each label to the ratios and is deterministic for a seed', () => {
    const cs = [...candidates(100, 'CONTINUE'), ...candidates(20, 'SCHEDULE', 1000)];
    const a = assignNewConversations(cs, new Map(), ratios, 7);
    expect(count(new Map([...a].filter(([id]) => id < 1000)))).toEqual({ train: 80, validation: 10, test: 10 });
    expect(count(new Map([...a].filter(([id]) => id >= 1000)))).toEqual({ train: 16, validation: 2, test: 2 });
    expect([...assignNewConversations(cs, new Map(), ratios, 7)]).toEqual([...a]);
    expect([...assignNewConversations(cs, new Map(), ratios, 8)]).not.toEqual([...a]);
  });

  it('keeps earlier assignments and fills the gaps toward the ratios', () => {
    const first = assignNewConversations(candidates(50, 'END'), new Map(), ratios, 1);
    const existing = new Map([...first].map(([id, split]) => [id, { split, stratum: 'END' as const }]));
    const second = assignNewConversations(candidates(100, 'END'), existing, ratios, 1);
    for (const id of first.keys()) expect(second.has(id)).toBe(false);
    const all = new Map([...first, ...second]);
    expect(count(all)).toEqual({ train: 80, validation: 10, test: 10 });
  });

  it('puts everything in test for 0/0/1', () => {
    const a = assignNewConversations(candidates(9, 'END'), new Map(), { train: 0, validation: 0, test: 1 }, 3);
    expect(count(a)).toEqual({ train: 0, validation: 0, test: 9 });
  });
});
