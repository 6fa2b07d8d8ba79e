// Cursor pagination as OpenAI does it: `after` is the id of the last item of the previous page,
// `has_more` says whether another page exists (the SDK's auto-pagination relies on it).
import { invalidRequest } from './errors';

export function parseLimit(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidRequest(`Invalid 'limit': expected an integer from 1 to ${max}, got ${JSON.stringify(raw)}.`, 'limit');
  return n;
}

/** One page of `items` (already in list order) after the item with id `after`. */
export function paginate<T extends { id: string }>(items: readonly T[], url: URL, fallbackLimit: number, maxLimit = 10_000): { data: T[]; has_more: boolean } {
  const limit = parseLimit(url, fallbackLimit, maxLimit);
  const after = url.searchParams.get('after');
  let start = 0;
  if (after) {
    const i = items.findIndex((x) => x.id === after);
    if (i === -1) throw invalidRequest(`Invalid 'after': no object with id ${after} in this list.`, 'after');
    start = i + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, has_more: start + limit < items.length };
}
