import { describe, expect, it } from 'vitest';
import { resolveTurnLabel, type TurnLabel } from './label-policy';

const l = (value: TurnLabel['value'], at: number, reviewerId: string): TurnLabel => ({ value, at, reviewerId });

describe('resolveTurnLabel', () => {
  it('latest takes the most recent change, ties broken by reviewer id', () => {
    expect(resolveTurnLabel([l('END', 1, 'a'), l('SCHEDULE', 3, 'b'), l('CONTINUE', 2, 'c')], { kind: 'latest' })).toEqual({ label: 'SCHEDULE' });
    expect(resolveTurnLabel([l('END', 5, 'b'), l('CONTINUE', 5, 'a')], { kind: 'latest' })).toEqual({ label: 'END' });
  });

  it('majority needs a strict winner', () => {
    expect(resolveTurnLabel([l('END', 1, 'a'), l('END', 2, 'b'), l('CONTINUE', 3, 'c')], { kind: 'majority' })).toEqual({ label: 'END' });
    expect(resolveTurnLabel([l('END', 1, 'a'), l('CONTINUE', 2, 'b')], { kind: 'majority' })).toEqual({ excluded: 'tie' });
    expect(resolveTurnLabel([l('SCHEDULE', 1, 'a')], { kind: 'majority' })).toEqual({ label: 'SCHEDULE' });
  });

  it('agreement needs k reviewers and no dissent', () => {
    const policy = { kind: 'agree', k: 2 } as const;
    expect(resolveTurnLabel([l('END', 1, 'a'), l('END', 2, 'b')], policy)).toEqual({ label: 'END' });
    expect(resolveTurnLabel([l('END', 1, 'a')], policy)).toEqual({ excluded: 'too_few_reviewers' });
    expect(resolveTurnLabel([l('END', 1, 'a'), l('END', 2, 'b'), l('SCHEDULE', 3, 'c')], policy)).toEqual({ excluded: 'disagreement' });
    // Dissent is reported before "too few": one reviewer each way is a disagreement.
    expect(resolveTurnLabel([l('END', 1, 'a'), l('CONTINUE', 2, 'b')], { kind: 'agree', k: 3 })).toEqual({ excluded: 'disagreement' });
  });
});

describe('resolveTurnLabel, adjudicated', () => {
  const policy = { kind: 'adjudicated' } as const;
  it('takes the adjudicated label over any majority, and says so', () => {
    expect(resolveTurnLabel([l('END', 1, 'a'), l('END', 2, 'b'), l('CONTINUE', 3, 'c')], policy, 'CONTINUE')).toEqual({
      label: 'CONTINUE',
      by: 'adjudication',
    });
  });
  it('falls back to the majority without one, leaving ties out', () => {
    expect(resolveTurnLabel([l('END', 1, 'a'), l('END', 2, 'b'), l('CONTINUE', 3, 'c')], policy)).toEqual({ label: 'END', by: 'majority' });
    expect(resolveTurnLabel([l('END', 1, 'a'), l('CONTINUE', 2, 'b')], policy, null)).toEqual({ excluded: 'tie' });
  });
  it('other policies ignore the adjudicated label', () => {
    expect(resolveTurnLabel([l('END', 1, 'a'), l('END', 2, 'b')], { kind: 'majority' }, 'SCHEDULE')).toEqual({ label: 'END' });
  });
});
