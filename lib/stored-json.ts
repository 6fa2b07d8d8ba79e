// JSON columns cross a boundary too: what a row holds was written by some earlier version of
// the code, so it is parsed with zod when read (a clear error naming the column, instead of a
// page that breaks on a missing field), and written through one typed door.
import type { z } from 'zod';
import type { Prisma } from './generated/prisma/client';

/** A JSON column's value, checked against its schema; throws naming the column and path. */
export function parseStored<T>(schema: z.ZodType<T>, value: unknown, column: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`stored ${column} is not in the expected shape: ${i.path.join('.') || 'value'}: ${i.message}`);
  }
  return r.data;
}

/** The same, for a nullable column. */
export function parseStoredOrNull<T>(schema: z.ZodType<T>, value: unknown, column: string): T | null {
  return value === null || value === undefined ? null : parseStored(schema, value, column);
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json | undefined };

/**
 * A value for a JSON column. Plain data only (the type says so), so the one conversion Prisma
 * needs happens here and nowhere else.
 */
export function storedJson<T extends Json | object>(value: T): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}
