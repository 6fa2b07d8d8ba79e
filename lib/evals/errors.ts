// Bad eval input: each issue names the input key it is about (datasetVersionId, model, split,
// concurrency …), so a form can show it beside that field and the CLI can name the flag.
import type { ZodError } from 'zod';
import { InputError } from '../errors';

export type { InputIssue } from '../errors';

export class EvalInputError extends InputError {
  constructor(issues: ConstructorParameters<typeof InputError>[0]) {
    super(issues);
    this.name = 'EvalInputError';
  }

  /** One issue per field (the first): "choose a model" says it all for an empty model name. */
  static fromZod(e: ZodError, prefix = ''): EvalInputError {
    return new EvalInputError(InputError.issuesFromZod(e, { prefix, topLevel: true, firstPerField: true }));
  }
}
