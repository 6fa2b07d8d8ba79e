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
  others_not_mine: 'Labeled by others, not me',
  // For the ML lead's review (lib/labeling/turn-actions.ts, comments.ts, sequence-checks.ts).
  flagged: 'Flagged turns',
  commented: 'Turns with comments',
  sequence_problems: 'Sequence problems',
} as const;
export type ConversationFilter = keyof typeof CONVERSATION_FILTERS;

const filterSchema = z.enum(Object.keys(CONVERSATION_FILTERS) as [ConversationFilter, ...ConversationFilter[]]);

// A keyset cursor: the (last_activity_at, id) of the row to continue after or before.
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
  sort: z.enum(['recent', 'oldest']).catch('recent').default('recent'),
  after: cursorSchema.optional().catch(undefined),
  before: cursorSchema.optional().catch(undefined),
});
export type ListParams = z.infer<typeof listParamsSchema>;

export function encodeCursor(at: Date, id: number): string {
  return `${at.getTime()}_${id}`;
}

/** Reads URL search params leniently: a bad value falls back to its default, never a 500. */
export function parseListParams(search: Record<string, string | string[] | undefined>): ListParams {
  const flat = Object.fromEntries(Object.entries(search).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  return listParamsSchema.parse(flat);
}

export function listHref(params: Partial<Record<keyof ListParams, string | undefined>>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v && !(k === 'filter' && v === 'all') && !(k === 'sort' && v === 'recent')) sp.set(k, v);
  }
  const s = sp.toString();
  return s ? `/conversations?${s}` : '/conversations';
}
