// Bad dataset input: each issue names the field it is about (full path, e.g. "policy.k"), so
// the form can show it beside that field and the CLI can print "--seed: seed "x" is not an integer".
import type { ZodError } from 'zod';
import { ConflictError, InputError } from '../errors';

export type { InputIssue } from '../errors';

export class DatasetInputError extends InputError {
  constructor(issues: ConstructorParameters<typeof InputError>[0]) {
    super(issues);
    this.name = 'DatasetInputError';
  }

  static fromZod(e: ZodError, prefix = ''): DatasetInputError {
    return new DatasetInputError(InputError.issuesFromZod(e, { prefix }));
  }
}

/** The version cannot be built as it stands (gone, already built, no examples): final, not retried. */
export class DatasetBuildError extends ConflictError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetBuildError';
  }
}
