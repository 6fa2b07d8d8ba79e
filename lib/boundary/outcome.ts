// What a boundary tells the caller about a failure, decided once for every transport: an
// AppError keeps its message (written for users, never holding a secret); zod errors become
// input errors with paths; anything else is unexpected, logged here with its stack and shown
// as a generic message, so no internals leak.
import { ZodError } from 'zod';
import { AppError, InputError, RateLimitedError, TransientError, type AppErrorCode, type InputIssue } from '../errors';

export interface Failure {
  code: AppErrorCode | 'internal';
  status: number;
  message: string;
  issues: InputIssue[];
  retryable: boolean;
  retryAfterSeconds?: number;
}

export const GENERIC_FAILURE = 'Something went wrong on our side; nothing was changed. Try again in a moment.';

export function describeFailure(e: unknown, where: string, generic = GENERIC_FAILURE): Failure {
  const err = e instanceof ZodError ? InputError.ofZod(e) : e;
  if (err instanceof AppError) {
    const retryAfterSeconds = err instanceof TransientError || err instanceof RateLimitedError ? err.retryAfterSeconds : undefined;
    return {
      code: err.code,
      status: err.httpStatus,
      message: err.message,
      issues: err instanceof InputError ? err.issues : [],
      retryable: err.retryable,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  console.error(`[${where}] unexpected error`, e);
  // Unknown failures may be passing (a dropped connection); the client may try again.
  return { code: 'internal', status: 500, message: generic, issues: [], retryable: true };
}

/** Field → first message, by full path and by its top-level key (flat forms look that up). */
export function fieldErrorsOf(issues: InputIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, message } of issues) {
    out[field] ??= message;
    out[field.split('.')[0]] ??= message;
  }
  return out;
}
