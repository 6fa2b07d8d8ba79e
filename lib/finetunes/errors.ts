// Bad fine-tune input: each issue names the input key it is about (datasetVersionId, nEpochs,
// suffix …), so the launch form can show it beside that field and the CLI can name the flag.
import { ZodError } from 'zod';

export interface InputIssue {
  field: string;
  message: string;
}

export class FineTuneInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'FineTuneInputError';
  }

  static fromZod(e: ZodError, prefix = ''): FineTuneInputError {
    return new FineTuneInputError(
      e.issues.map((i) => ({ field: prefix + (i.path.length ? String(i.path[0]) : 'input'), message: i.message })),
    );
  }
}

/** A run (or anything else) that does not exist. Mapped to 404 by the route shells. */
export class FineTuneNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FineTuneNotFoundError';
  }
}

/**
 * A provider call that failed. `transient` errors (429, 5xx, timeouts, connection trouble, a
 * trainer that has not written its key yet) are worth retrying; the others (400/401/403/404,
 * a provider that is not configured) are final. The message names the provider and never
 * holds a key.
 */
export class FineTuneProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FineTuneProviderError';
  }
}
