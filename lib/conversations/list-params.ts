// The conversations list's state lives in the URL; this is its one parser.
import { z } from 'zod';

export const CONVERSATION_FILTERS = {
  all: 'All',
  unlabeled: 'Unlabeled',
  in_progress: 'In progress',
  done: 'Done',
  has_end: 'Has END',
  has_schedule: 'Has SCHEDULE',
  mine: 'Labeled by me',
  // Assigned to me: the conversations whose work-queue lease I hold now (lib/labeling/lease.ts).
  held: 'Held by me',
  others_not_mine: 'Labeled by others, not me',
  unsure: 'Unsure suggestions',
  advisor_review: 'Advisor: deferred or disputed',
  // For the ML lead's review (lib/labeling/turn-actions.ts, comments.ts, sequence-checks.ts).
  flagged: 'Flagged turns',
  commented: 'Turns with comments',
  sequence_problems: 'Sequence problems',
} as const;
export type ConversationFilter = keyof typeof CONVERSATION_FILTERS;

const filterSchema = z.enum(Object.keys(CONVERSATION_FILTERS) as [ConversationFilter, ...ConversationFilter[]]);

// A keyset cursor: the (last_activity_at, id) of the row to continue after or before — or, for
// sort=uncertain, the (lowest suggestion confidence in millionths, id), carried in `at` as a
// number of milliseconds: see uncertaintyCursor.
const cursorSchema = z
  .string()
  .regex(/^\d{1,15}_\d{1,10}$/)
  .transform((s) => {
    const [ms, id] = s.split('_').map(Number);
    return { at: new Date(ms), id };
  });

export const listParamsSchema = z.object({
  q: z.string().trim().max(200).catch('').default(''),
  filter: filterSchema.catch('all').default('all'),
  sort: z.enum(['recent', 'oldest', 'uncertain']).catch('recent').default('recent'),
  after: cursorSchema.optional().catch(undefined),
  before: cursorSchema.optional().catch(undefined),
});
export type ListParams = z.infer<typeof listParamsSchema>;

export function encodeCursor(at: Date, id: number): string {
  return `${at.getTime()}_${id}`;
}

/** A confidence stored in millionths (lib/suggestions rounds to them) and 'Infinity' (no open suggestion) as cursor digits. */
export const NO_SUGGESTION_CURSOR = 999_999_999_999_999;
export function uncertaintyCursor(confidence: number, id: number): string {
  return `${Number.isFinite(confidence) ? Math.round(confidence * 1e6) : NO_SUGGESTION_CURSOR}_${id}`;
}

/** Reads URL search params leniently: a bad value falls back to its default, never a 500. */
export function parseListParams(search: Record<string, string | string[] | undefined>): ListParams {
  const flat = Object.fromEntries(Object.entries(search).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  return listParamsSchema.parse(flat);
}

/** Filters that read other reviewers' label values: not offered to a reviewer labeling blind. */
export const OUTCOME_FILTERS: readonly ConversationFilter[] = ['has_end', 'has_schedule'];

/**
 * The list's query string (search, filter, sort, page) as a conversation page carries it in
 * ?view=…, so the work queue stays inside that view and "← All conversations" returns to
 * exactly that list. Parsed and written again, so only known, valid keys travel.
 */
export function viewQuery(params: Partial<Record<keyof ListParams, string | undefined>>): string {
  return listHref(params).replace(/^\/conversations\??/, '');
}

/** Reads a ?view=… value (anything: it came from a URL) into list parameters. */
export function parseView(view: string | null | undefined): ListParams {
  const sp = new URLSearchParams(typeof view === 'string' ? view.slice(0, 1000) : '');
  return parseListParams(Object.fromEntries(sp.entries()));
}

/** The list parameters as strings, the shape listHref and viewQuery take. */
export function paramsAsText(p: ListParams): Partial<Record<keyof ListParams, string>> {
  return {
    q: p.q || undefined,
    filter: p.filter,
    sort: p.sort,
    after: p.after ? encodeCursor(p.after.at, p.after.id) : undefined,
    before: p.before ? encodeCursor(p.before.at, p.before.id) : undefined,
  } as Partial<Record<keyof ListParams, string>>;
}

export function listHref(params: Partial<Record<keyof ListParams, string | undefined>>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v && !(k === 'filter' && v === 'all') && !(k === 'sort' && v === 'recent')) sp.set(k, v);
  }
  const s = sp.toString();
  return s ? `/conversations?${s}` : '/conversations';
}

/** A conversation's page, keeping the list view it was opened from. */
export function conversationHref(id: number, view: string): string {
  return view ? `/conversations/${id}?view=${encodeURIComponent(view)}` : `/conversations/${id}`;
}
