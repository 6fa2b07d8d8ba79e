import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification';
import { compareMetrics } from './compare';
import { confusionMatrix } from './confusion';
import { LABELS, PREDICTED, type Prediction } from './labels';
import { findNaN, predictionsFromCounts } from './test-fixtures';

describe('confusionMatrix', () => {
  it('always has 3 truth rows × 4 predicted columns, zeros included', () => {
    const m = confusionMatrix([]);
    expect(Object.keys(m)).toEqual([...LABELS]);
    for (const l of LABELS) expect(m[l]).toEqual({ END: 0, CONTINUE: 0, SCHEDULE: 0, invalid: 0 });
    expect(PREDICTED).toEqual(['END', 'CONTINUE', 'SCHEDULE', 'invalid']);
  });

  it('rejects labels outside the label set instead of producing NaN cells', () => {
    const bad = [{ truth: 'MAYBE', predicted: 'END' }] as unknown as Prediction[];
    expect(() => confusionMatrix(bad)).toThrow(RangeError);
    const badPred = [{ truth: 'END', predicted: 'toString' }] as unknown as Prediction[];
    expect(() => confusionMatrix(badPred)).toThrow(RangeError);
  });
});

describe('classificationMetrics: hand-computed 3-class example', () => {
  //                predicted
  //  truth       END  CONT  SCHED  invalid | support
  //  END           4     1      0        0 |  5
  //  CONTINUE      2     6      1        0 |  9
  //  SCHEDULE      1     0      3        1 |  5
  //  ------------------------------------------------
  //  predicted     7     7      4        1 | n = 19
  //
  //  correct = 4 + 6 + 3 = 13           accuracy = 13/19, invalidRate = 1/19
  //  END:      P = 4/7, R = 4/5, F1 = 2·4/(5+7)  = 8/12  = 2/3
  //  CONTINUE: P = 6/7, R = 6/9, F1 = 2·6/(9+7)  = 12/16 = 3/4
  //  SCHEDULE: P = 3/4, R = 3/5, F1 = 2·3/(5+4)  = 6/9   = 2/3
  //  macro-F1 = (2/3 + 3/4 + 2/3) / 3 = (8/12 + 9/12 + 8/12) / 3 = 25/36
  //  premature END = (CONT→END 2 + SCHED→END 1) / (9 + 5) = 3/14
  //  missed SCHEDULE = (SCHED→END 1 + SCHED→invalid 1) / 5 = 2/5
  const preds = predictionsFromCounts({
    END: { END: 4, CONTINUE: 1 },
    CONTINUE: { END: 2, CONTINUE: 6, SCHEDULE: 1 },
    SCHEDULE: { END: 1, SCHEDULE: 3, invalid: 1 },
  });
  const m = classificationMetrics(preds);

  it('counts', () => {
    expect(m.n).toBe(19);
    expect(m.correct).toBe(13);
    expect(m.invalid).toBe(1);
    expect(m.accuracy).toBe(13 / 19);
    expect(m.invalidRate).toBe(1 / 19);
    expect(m.confusion).toEqual({
      END: { END: 4, CONTINUE: 1, SCHEDULE: 0, invalid: 0 },
      CONTINUE: { END: 2, CONTINUE: 6, SCHEDULE: 1, invalid: 0 },
      SCHEDULE: { END: 1, CONTINUE: 0, SCHEDULE: 3, invalid: 1 },
    });
  });

  it('per-class precision / recall / F1', () => {
    expect(m.perClass.END).toEqual({ precision: 4 / 7, recall: 4 / 5, f1: 2 / 3, support: 5, predicted: 7 });
    expect(m.perClass.CONTINUE).toEqual({ precision: 6 / 7, recall: 6 / 9, f1: 3 / 4, support: 9, predicted: 7 });
    expect(m.perClass.SCHEDULE).toEqual({ precision: 3 / 4, recall: 3 / 5, f1: 2 / 3, support: 5, predicted: 4 });
    // F1 is the harmonic mean of P and R (computed as 2TP/(support+predicted)).
    for (const l of LABELS) {
      const { precision: p, recall: r, f1 } = m.perClass[l];
      expect(f1).toBeCloseTo((2 * p * r) / (p + r), 14);
    }
  });

  it('macro-F1, premature END, missed SCHEDULE', () => {
    expect(m.macroF1).toBeCloseTo(25 / 36, 14);
    expect(m.prematureEnd).toEqual({ count: 3, of: 14 });
    expect(m.prematureEndRate).toBe(3 / 14);
    expect(m.missedSchedule).toEqual({ count: 2, of: 5 });
    expect(m.missedScheduleRate).toBe(2 / 5);
  });

  it("macroF1Classes: 'all' gives the same here (every class is present)", () => {
    expect(classificationMetrics(preds, { macroF1Classes: 'all' }).macroF1).toBeCloseTo(25 / 36, 14);
  });
});

describe('classificationMetrics: edge cases', () => {
  it('a class absent from truth and predictions is excluded from macro-F1', () => {
    //  truth \ pred  END  CONT
    //  END             3     1     END:  F1 = 2·3/(4+4) = 3/4
    //  CONTINUE        1     3     CONT: F1 = 2·3/(4+4) = 3/4
    //  SCHEDULE: support 0, predicted 0 → excluded; macro = 3/4 (not (3/4+3/4+0)/3 = 1/2)
    const m = classificationMetrics(predictionsFromCounts({ END: { END: 3, CONTINUE: 1 }, CONTINUE: { END: 1, CONTINUE: 3 } }));
    expect(m.perClass.SCHEDULE).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    expect(m.macroF1).toBe(3 / 4);
    expect(m.missedScheduleRate).toBeNull();
    expect(m.missedSchedule).toEqual({ count: 0, of: 0 });
    expect(m.prematureEndRate).toBe(1 / 4);
    // Opting into sklearn's fixed label list counts the absent class as 0.
    expect(
      classificationMetrics(predictionsFromCounts({ END: { END: 3, CONTINUE: 1 }, CONTINUE: { END: 1, CONTINUE: 3 } }), { macroF1Classes: 'all' }).macroF1,
    ).toBe(1 / 2);
  });

  it('only END truth: premature-END rate is null (no CONTINUE/SCHEDULE to end early)', () => {
    const m = classificationMetrics(predictionsFromCounts({ END: { END: 2 } }));
    expect(m.prematureEndRate).toBeNull();
    expect(m.prematureEnd).toEqual({ count: 0, of: 0 });
    expect(m.macroF1).toBe(1);
  });

  it('a class predicted but never true counts in macro-F1 with F1 0', () => {
    //  truth \ pred  END  CONT  SCHED
    //  END             2     0      1    END:   P = 2/2, R = 2/3, F1 = 4/(3+2) = 4/5
    //  CONTINUE        0     3      0    CONT:  P = 3/3, R = 3/3, F1 = 1
    //  SCHEDULE: support 0, predicted 1 → P = 0, R = 0 (0/0), F1 = 0, included
    //  macro = (4/5 + 1 + 0) / 3 = 3/5
    const m = classificationMetrics(predictionsFromCounts({ END: { END: 2, SCHEDULE: 1 }, CONTINUE: { CONTINUE: 3 } }));
    expect(m.perClass.SCHEDULE).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 1 });
    expect(m.perClass.END).toEqual({ precision: 1, recall: 2 / 3, f1: 4 / 5, support: 3, predicted: 2 });
    expect(m.macroF1).toBeCloseTo(3 / 5, 14);
    expect(m.missedScheduleRate).toBeNull();
    expect(m.prematureEndRate).toBe(0);
  });

  it('all-invalid run: accuracy 0, macro-F1 0, everything in the invalid column', () => {
    const m = classificationMetrics(predictionsFromCounts({ END: { invalid: 2 }, CONTINUE: { invalid: 3 }, SCHEDULE: { invalid: 4 } }));
    expect(m.n).toBe(9);
    expect(m.accuracy).toBe(0);
    expect(m.invalid).toBe(9);
    expect(m.invalidRate).toBe(1);
    expect(m.macroF1).toBe(0);
    for (const l of LABELS) {
      expect(m.confusion[l].END + m.confusion[l].CONTINUE + m.confusion[l].SCHEDULE).toBe(0);
      expect(m.perClass[l]).toMatchObject({ precision: 0, recall: 0, f1: 0, predicted: 0 });
    }
    expect(m.confusion.SCHEDULE.invalid).toBe(4);
    expect(m.missedScheduleRate).toBe(1);
    expect(m.missedSchedule).toEqual({ count: 4, of: 4 });
    // An invalid answer is not an END: nothing was ended early.
    expect(m.prematureEndRate).toBe(0);
    expect(m.prematureEnd).toEqual({ count: 0, of: 7 });
    expect(findNaN(m)).toBeNull();
  });

  it('empty input: n 0, nulls, and no NaN anywhere', () => {
    const m = classificationMetrics([]);
    expect(m).toMatchObject({
      n: 0,
      correct: 0,
      invalid: 0,
      accuracy: null,
      invalidRate: null,
      macroF1: null,
      prematureEndRate: null,
      missedScheduleRate: null,
    });
    for (const l of LABELS) expect(m.perClass[l]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    expect(findNaN(m)).toBeNull();
    expect(findNaN(compareMetrics(m, m))).toBeNull();
    // The NaN finder itself works.
    expect(findNaN({ a: [1, { b: NaN }] })).toBe('$.a.1.b');
  });
});

describe('compareMetrics', () => {
  it('reports b − a per metric, null-safe', () => {
    // a: hand example above-style small run;  b: perfect run on the same truth.
    const a = classificationMetrics(predictionsFromCounts({ END: { END: 1, CONTINUE: 1 }, CONTINUE: { END: 1, CONTINUE: 1 } }));
    const b = classificationMetrics(predictionsFromCounts({ END: { END: 2 }, CONTINUE: { CONTINUE: 2 } }));
    // a: accuracy 1/2, END F1 = 2/(2+2) = 1/2, CONT F1 = 1/2, macro 1/2, premature 1/2, SCHEDULE absent.
    const d = compareMetrics(a, b);
    expect(d.accuracy).toBe(1 / 2);
    expect(d.macroF1).toBe(1 / 2);
    expect(d.f1).toEqual({ END: 1 / 2, CONTINUE: 1 / 2, SCHEDULE: null });
    expect(d.prematureEndRate).toBe(-1 / 2);
    expect(d.missedScheduleRate).toBeNull();
    expect(d.invalidRate).toBe(0);
    expect(compareMetrics(b, a).accuracy).toBe(-1 / 2);
    expect(compareMetrics(a, classificationMetrics([])).accuracy).toBeNull();
  });
});
