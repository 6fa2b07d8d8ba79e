// Bad dataset input: each issue names the field it is about, so the form can show it beside
// that field and the CLI can print "--seed: seed "x" is not an integer".
import { ZodError } from 'zod';

export interface InputIssue {
  field: string;
  message: string;
}

export class DatasetInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'DatasetInputError';
  }

  static fromZod(e: ZodError, prefix = ''): DatasetInputError {
    return new DatasetInputError(
      e.issues.map((i) => ({ field: prefix + (i.path.length ? i.path.join('.') : 'input'), message: i.message })),
    );
  }
}
