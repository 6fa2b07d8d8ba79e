// What the pre-flight checks need from a version's examples, collected as they are written:
// token counts (4 bytes per example, for the percentiles and the cost estimate) and the
// cookbook checks of every line. Line checks are plain counts, so each build batch stores its
// own and the final step sums them; token counts are kept in memory by an uninterrupted build
// and read back from the stored rows by a resumed one.
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { checkJsonlLine, emptyFormatErrors, FORMAT_ERROR_KEYS, missingRoleWarnings, type FormatErrors } from './cookbook-checks';
import type { SplitName } from './params';
import type { ExampleStats } from './preflight';
import { chatFramingTokens, countTokens } from './tokens';

export interface LineChecks {
  formatErrors: FormatErrors;
  missingSystem: number;
  missingUser: number;
}

export function emptyLineChecks(): LineChecks {
  return { formatErrors: emptyFormatErrors(), missingSystem: 0, missingUser: 0 };
}

/** The cookbook checks on the exact bytes that go into the file (reference §1.3). */
export function checkLine(checks: LineChecks, line: string): void {
  if (checkJsonlLine(line, checks.formatErrors) > 0) return;
  const w = missingRoleWarnings(JSON.parse(line));
  if (w.missingSystem) checks.missingSystem++;
  if (w.missingUser) checks.missingUser++;
}

/**
 * checkLine for the lines of one version, where every line is the same JSON (the version's
 * system message, one user string, one label) and the checks read its structure, not its text:
 * a line's result depends only on its label and on whether its user message is empty (an empty
 * string is a missing content). Each such shape is checked on its first real line and that
 * result is counted for every line of the shape, which is what checking each line would count.
 * `line` builds the line, called for a shape's first line only.
 */
export function lineShapeChecker(): (checks: LineChecks, line: () => string, label: string, emptyUser: boolean) => void {
  const shapes = new Map<string, LineChecks>();
  return (checks, line, label, emptyUser) => {
    const key = `${label}\u0000${emptyUser}`;
    let one = shapes.get(key);
    if (!one) {
      one = emptyLineChecks();
      checkLine(one, line());
      shapes.set(key, one);
    }
    addLineChecks(checks, one);
  };
}

export function addLineChecks(into: LineChecks, from: LineChecks): void {
  for (const k of FORMAT_ERROR_KEYS) into.formatErrors[k] += from.formatErrors[k] ?? 0;
  into.missingSystem += from.missingSystem;
  into.missingUser += from.missingUser;
}

/** An example's total tokens from its user message's tokens. */
export function exampleTokenCounter(instructions: string): (label: LabelValueName, userTokens: number) => number {
  const fixed = chatFramingTokens() + countTokens(instructions);
  const labelTokens = Object.fromEntries(LABEL_VALUES.map((l) => [l, countTokens(l)])) as Record<LabelValueName, number>;
  return (label, userTokens) => fixed + userTokens + labelTokens[label];
}

/** Token counts per example in file order, as compact arrays. */
export class TokenCollector {
  private tokens: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private trainTokens: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private n = 0;
  private nTrain = 0;

  add(split: SplitName, total: number): void {
    if (this.n === this.tokens.length) this.tokens = grow(this.tokens);
    this.tokens[this.n++] = total;
    if (split === 'train') {
      if (this.nTrain === this.trainTokens.length) this.trainTokens = grow(this.trainTokens);
      this.trainTokens[this.nTrain++] = total;
    }
  }

  stats(checks: LineChecks): ExampleStats {
    return { all: this.tokens.subarray(0, this.n), train: this.trainTokens.subarray(0, this.nTrain), ...checks };
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
