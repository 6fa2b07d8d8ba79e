// One error hierarchy for every domain. Domain code throws these and never formats a
// transport error; the action wrapper turns them into form state and the route wrapper into
// problem JSON, each in one place. An AppError's message is written for the person using
// the Studio (it names what is wrong and where) and never holds a secret, so a boundary may
// show it as it is; anything that is not an AppError is unexpected and shown generically.
import type { ZodError } from 'zod';

export type AppErrorCode = 'input' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'transient' | 'upstream';

/** The HTTP status each kind of failure answers with. */
export const STATUS_OF: Record<AppErrorCode, number> = {
  input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  upstream: 502,
  transient: 503,
};

export abstract class AppError extends Error {
  abstract readonly code: AppErrorCode;

  /** The HTTP status a route answers with (named so, because some errors carry a provider's status too). */
  get httpStatus(): number {
    return STATUS_OF[this.code];
  }

  /** Worth trying the same request again later (nothing about it was wrong). */
  get retryable(): boolean {
    return this.code === 'transient' || this.code === 'rate_limited';
  }
}

/** One thing wrong with the input: `field` is its path ("seed", "policy.k", "runIds"). */
export interface InputIssue {
  field: string;
  message: string;
}

export interface FromZodOptions {
  /** Put in front of every path ("jobId", "params."). */
  prefix?: string;
  /** Name an issue by the top-level key only (form fields are flat). */
  topLevel?: boolean;
  /** Keep only the first issue per field ("choose a model" says it all). */
  firstPerField?: boolean;
}

/** Bad input: nothing was changed. Each issue names its field, so forms show it beside it. */
export class InputError extends AppError {
  readonly code = 'input';

  constructor(
    readonly issues: InputIssue[],
    message?: string,
  ) {
    super(message ?? issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'InputError';
  }

  /** One issue named `field`. */
  static of(field: string, message: string): InputError {
    return new InputError([{ field, message }]);
  }

  static issuesFromZod(e: ZodError, opts: FromZodOptions = {}): InputIssue[] {
    const prefix = opts.prefix ?? '';
    const issues: InputIssue[] = [];
    const seen = new Set<string>();
    for (const i of e.issues) {
      const path = opts.topLevel ? i.path.slice(0, 1) : i.path;
      const field = prefix + (path.length ? path.map(String).join('.') : 'input');
      if (opts.firstPerField && seen.has(field)) continue;
      seen.add(field);
      issues.push({ field, message: i.message });
    }
    return issues;
  }

  static ofZod(e: ZodError, opts: FromZodOptions = {}): InputError {
    return new InputError(InputError.issuesFromZod(e, opts));
  }
}

/** Who-may-do-what failures: not signed in (401) or without the role (403). */
export abstract class AuthError extends AppError {
  get status(): 401 | 403 {
    return this.httpStatus as 401 | 403;
  }
}

/** Not signed in (or the session ended): sign in and try again. */
export class UnauthenticatedError extends AuthError {
  readonly code = 'unauthenticated';

  constructor(message = 'Please sign in.') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Signed in, but this needs another role (or belongs to someone else). */
export class ForbiddenError extends AuthError {
  readonly code = 'forbidden';

  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The thing named does not exist (or the caller may not know that it does). */
export class NotFoundError extends AppError {
  readonly code = 'not_found';

  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The request is fine but clashes with the current state (taken name, last admin, not ready). */
export class ConflictError extends AppError {
  readonly code = 'conflict';

  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'too_large';

  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';

  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** A passing failure (a service down, a timeout): the same request may well work later. */
export class TransientError extends AppError {
  readonly code = 'transient';

  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
