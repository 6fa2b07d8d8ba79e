// Fine-tune failures as members of the one hierarchy (lib/errors).
import type { ZodError } from 'zod';
import { InputError, NotFoundError, AppError, type AppErrorCode } from '../errors';

export type { InputIssue } from '../errors';

/** Bad fine-tune input: each issue names the input key (datasetVersionId, nEpochs, suffix …). */
export class FineTuneInputError extends InputError {
  constructor(issues: ConstructorParameters<typeof InputError>[0]) {
    super(issues);
    this.name = 'FineTuneInputError';
  }

  static fromZod(e: ZodError, prefix = ''): FineTuneInputError {
    return new FineTuneInputError(InputError.issuesFromZod(e, { prefix, topLevel: true }));
  }
}

/** A run (or anything else) that does not exist. */
export class FineTuneNotFoundError extends NotFoundError {
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
export class FineTuneProviderError extends AppError {
  readonly code: AppErrorCode;

  constructor(
    message: string,
    readonly transient: boolean,
    /** The provider's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.code = transient ? 'transient' : 'upstream';
    this.name = 'FineTuneProviderError';
  }
}
