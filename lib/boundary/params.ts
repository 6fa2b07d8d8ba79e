// Shared zod pieces for what arrives as text (path segments, query strings, form fields):
// whole numbers within what the database column holds, so an over-long id is a 400 or 404
// with a message, never a 500 from PostgreSQL.
import { z } from 'zod';

/** PostgreSQL integer (int4) — every id column but the event ids. */
export const INT4_MAX = 2 ** 31 - 1;
/** JavaScript's exact integers; bigint event ids stay below this. */
export const SAFE_INT_MAX = Number.MAX_SAFE_INTEGER;

/** A positive whole number given as text, at most `max`. */
export function wholeNumberText(what: string, opts: { min?: number; max?: number } = {}) {
  const min = opts.min ?? 1;
  const max = opts.max ?? INT4_MAX;
  return (
    z
      .string({ error: `${what} is required` })
      .regex(/^\d{1,20}$/, `${what} must be a whole number`)
      .transform(Number)
      // Digits only, so a whole number; no .int() here, whose own limit (2^53) would speak first.
      .pipe(z.number().min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`))
  );
}

/** An id in a URL or form: 1 … 2³¹−1. */
export const idText = (what: string) => wholeNumberText(what);

/** An id passed as a number from client code: 1 … 2³¹−1. */
export const idNumber = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(INT4_MAX, `${what} must be at most ${INT4_MAX}`);

/** Free text from a URL: no NUL characters (PostgreSQL text cannot hold them). */
export const urlText = (what: string, max = 200) =>
  z
    .string()
    .max(max, `${what} must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), `${what} cannot contain a NUL character`);

/** URLSearchParams / Next's searchParams as a flat object: the first value of each key. */
export function flatSearch(search: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  if (search instanceof URLSearchParams) {
    for (const [k, v] of search) out[k] ??= v;
  } else {
    for (const [k, v] of Object.entries(search)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined) out[k] = first;
    }
  }
  return out;
}
