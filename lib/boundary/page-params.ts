// Pages read their URL through these: a value that cannot name anything (an id beyond what
// the column holds, a cursor that is not one, a NUL character) answers 404 through Next's
// notFound(), instead of reaching the database and failing with a 500.
import 'server-only';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { flatSearch, idText, INT4_MAX } from './params';

type Search = Record<string, string | string[] | undefined>;

/** A path segment that must be an id (1 … 2³¹−1), or 404. */
export function pageId(raw: string): number {
  const r = idText('id').safeParse(raw);
  if (!r.success) notFound();
  return r.data;
}

/** An optional id from the query: absent → undefined; present but not an id → 404. */
export function optionalPageId(raw: string | string[] | undefined): number | undefined {
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === '') return undefined;
  return pageId(first);
}

/** An id from the query used only as a default (e.g. a preselected version): bad → ignored. */
export function lenientPageId(raw: string | string[] | undefined): number | undefined {
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first && /^\d{1,10}$/.test(first) && Number(first) >= 1 && Number(first) <= INT4_MAX ? Number(first) : undefined;
}

/** The whole query through a schema, or 404. */
export function pageSearch<S extends z.ZodType>(schema: S, search: Search): z.output<S> {
  const r = schema.safeParse(flatSearch(search));
  if (!r.success) notFound();
  return r.data;
}

/** 404 when any query value holds a NUL character (PostgreSQL text cannot, so nothing matches). */
export function refuseNul(search: Search): void {
  for (const v of Object.values(search)) {
    for (const s of Array.isArray(v) ? v : [v]) if (s?.includes('\u0000')) notFound();
  }
}
