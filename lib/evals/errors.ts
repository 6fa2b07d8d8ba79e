// Bad eval input: each issue names the input key it is about (datasetVersionId, model, split,
// concurrency …), so a form can show it beside that field and the CLI can name the flag.
import { ZodError } from 'zod';

export interface InputIssue {
  field: string;
  message: string;
}

export class EvalInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'EvalInputError';
  }

  /** One issue per field (the first): "choose a model" says it all for an empty model name. */
  static fromZod(e: ZodError, prefix = ''): EvalInputError {
    const byField = new Map<string, InputIssue>();
    for (const i of e.issues) {
      const field = prefix + (i.path.length ? String(i.path[0]) : 'input');
      if (!byField.has(field)) byField.set(field, { field, message: i.message });
    }
    return new EvalInputError([...byField.values()]);
  }
}
