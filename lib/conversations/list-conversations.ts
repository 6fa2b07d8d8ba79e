// The conversations list: filters, full-text search, keyset pagination by last activity.
// Filters read counters kept on conversations / conversation_reviewers, so no request
// aggregates labels at query time (see lib/conversations/stats.ts).
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { encodeCursor, NO_SUGGESTION_CURSOR, OUTCOME_FILTERS, uncertaintyCursor, type ConversationFilter, type ListParams } from './list-params';
import { SEARCH_CONFIG, toPrefixTsQuery } from './search-query';
import { snippetAround } from './highlight';
import { reviewPrioritySql } from '../advisor/review-priority';
import { labelsBlindFor } from '../labeling/blind';
import { getLabelingSettings } from '../labeling/settings';

export const PAGE_SIZE = 50;
// Up to this many matches the list counts them exactly ("812 conversations"). Counting
// further costs a walk over every match: at 1M conversations a broad filter's exact count
// is the slowest part of the page. Past it the list says "about 190,000", the planner's
// estimate of the view's rows (a plan, never a scan), and never pretends to be exact.
export const COUNT_CAP = 1_000;

export interface ConversationRow {
  id: number;
  externalId: string;
  candidateName: string | null;
  jobTitle: string | null;
  lastActivityAt: Date;
  recruiterTurns: number;
  labeledTurns: number;
  myLabeledTurns: number;
  /** Turns somebody labeled END / SCHEDULE; null while blind labeling hides others' labels from the actor. */
  endTurns: number | null;
  scheduleTurns: number | null;
  reviewerCount: number;
  /** With a search: the first message that matches, cut around the match (rendered as text). */
  snippet: string | null;
  /** Hand-written golden conversation (labels fixed, never trained on). */
  isGolden: boolean;
  /** The lowest confidence of the model's suggestions on turns nobody labeled (lib/suggestions); null when none. */
  minSuggestionConfidence: number | null;
}

export interface ConversationPage {
  rows: ConversationRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** Exact when `totalEstimated` is false; otherwise the planner's estimate, at least COUNT_CAP. */
  total: number;
  /** More than COUNT_CAP matches: `total` is an estimate ("about N"), not a count. */
  totalEstimated: boolean;
  /** Estimated, and all that is known is "more than COUNT_CAP" (`total` is then COUNT_CAP). */
  totalIsFloor: boolean;
  /** The filter applied: an outcome filter asked for under blind labeling lists everything instead. */
  filter: ConversationFilter;
  /** Blind labeling hides others' label values (END / SCHEDULE counts and filters) from the actor. */
  outcomesHidden: boolean;
}

export function filterSql(filter: ConversationFilter, reviewerId: string): Prisma.Sql {
  switch (filter) {
    case 'unlabeled':
      return Prisma.sql`c.labeled_turns = 0`;
    case 'in_progress':
      return Prisma.sql`c.labeled_turns > 0 AND c.labeled_turns < c.recruiter_turns`;
    case 'done':
      return Prisma.sql`c.labeled_turns >= c.recruiter_turns AND c.recruiter_turns > 0`;
    case 'has_end':
      return Prisma.sql`c.end_turns > 0`;
    case 'has_schedule':
      return Prisma.sql`c.schedule_turns > 0`;
    case 'mine':
      return Prisma.sql`EXISTS (SELECT 1 FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${reviewerId})`;
    // A reviewer holds a handful of leases at most: read them once, fetch by key.
    case 'held':
      return Prisma.sql`c.id = ANY(ARRAY(SELECT l.conversation_id FROM labeling_leases l WHERE l.reviewer_id = ${reviewerId} AND l.expires_at > now()))`;
    case 'others_not_mine':
      return Prisma.sql`c.reviewer_count > 0 AND NOT EXISTS (SELECT 1 FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${reviewerId})`;
    case 'unsure':
      // Below the advisor's threshold (0.7 before any promotion): where it would not act alone.
      return Prisma.sql`c.min_suggestion_confidence < coalesce((SELECT p.threshold FROM advisor_promotions p ORDER BY p.id DESC LIMIT 1), 0.7)`;
    case 'advisor_review':
      return reviewPrioritySql('c');
    // Flags and comments are few next to the conversations: their set is read once and its
    // conversations fetched by key. As EXISTS, PostgreSQL walked the list order probing for
    // them, and the count walked ~300k conversations at 1M (one in 300 flagged).
    case 'flagged':
      return Prisma.sql`c.id = ANY(ARRAY(SELECT DISTINCT f.conversation_id FROM turn_flags f))`;
    case 'commented':
      return Prisma.sql`c.id = ANY(ARRAY(SELECT DISTINCT n.conversation_id FROM turn_comments n))`;
    case 'sequence_problems':
      return Prisma.sql`c.sequence_problem_turns > 0`;
    case 'all':
      return Prisma.sql`TRUE`;
  }
}

/** The WHERE of a list view (filter and search) over `conversations c`; the work queue claims within it. */
export function viewWhereSql(actor: Actor, params: Pick<ListParams, 'q' | 'filter'>): Prisma.Sql {
  const parts = [filterSql(params.filter, actor.id)];
  const tsq = toPrefixTsQuery(params.q);
  if (params.q) {
    parts.push(
      tsq ? Prisma.sql`(c.search @@ to_tsquery(${SEARCH_CONFIG}::regconfig, ${tsq}) OR c.external_id = ${params.q})` : Prisma.sql`c.external_id = ${params.q}`,
    );
  }
  return Prisma.join(parts, ' AND ');
}

/** A reviewer labeling blind cannot filter by others' label values: such a filter lists everything. */
export function allowedView<P extends Pick<ListParams, 'filter'>>(params: P, outcomesHidden: boolean): P {
  return outcomesHidden && OUTCOME_FILTERS.includes(params.filter) ? { ...params, filter: 'all' } : params;
}

interface ListRow {
  id: number;
  external_id: string;
  candidate_name: string | null;
  job_title: string | null;
  last_activity_at: Date;
  recruiter_turns: number;
  labeled_turns: number;
  my_labeled_turns: number | null;
  end_turns: number;
  schedule_turns: number;
  reviewer_count: number;
  is_golden: boolean;
  min_suggestion_confidence: number;
}

/**
 * The statements of one list page, for a view allowedView has already checked: the page
 * (keyset: after / before a cursor, never OFFSET), the exact count up to COUNT_CAP + 1, and
 * the planner's estimate of every match (EXPLAIN: planned, never run; shown only when the count
 * passes the cap). Exported so the benchmark sends exactly these over plain pg as its baseline.
 *
 * The page picks its ids first and reads their rows after: a filter that needs nothing but
 * the id (mine: the reviewer's progress rows) then walks the order's index without touching
 * the table, and only the page's rows are fetched. Read in one go, every conversation walked
 * past was fetched too — at 1M with one in 70 mine, 3,600 rows for 51, most not in memory.
 */
export function listStatements(actor: Actor, params: ListParams, pageSize = PAGE_SIZE): { page: Prisma.Sql; count: Prisma.Sql; estimate: Prisma.Sql } {
  const where = viewWhereSql(actor, params);
  // sort=uncertain: least confident suggestion first, conversations with none last (their value is 'Infinity').
  const byUncertainty = params.sort === 'uncertain';
  const desc = params.sort === 'recent';
  // Walking backwards ("before") flips the order, then the page is reversed again below.
  const backwards = !params.after && !!params.before;
  const cursor = params.after ?? params.before;
  const forwardDesc = desc !== backwards;
  const cmp = forwardDesc ? Prisma.sql`<` : Prisma.sql`>`;
  const key = byUncertainty ? Prisma.sql`c.min_suggestion_confidence` : Prisma.sql`c.last_activity_at`;
  const order = forwardDesc ? Prisma.sql`${key} DESC, c.id DESC` : Prisma.sql`${key} ASC, c.id ASC`;
  const cursorKey = !cursor
    ? Prisma.empty
    : byUncertainty
      ? cursor.at.getTime() === NO_SUGGESTION_CURSOR
        ? Prisma.sql`'Infinity'::float8`
        : Prisma.sql`(${cursor.at.getTime()}::float8 / 1e6::float8)`
      : Prisma.sql`${cursor.at}::timestamp`;
  const keyset = cursor ? Prisma.sql`AND (${key}, c.id) ${cmp} (${cursorKey}, ${cursor.id}::int)` : Prisma.empty;
  return {
    page: Prisma.sql`
      SELECT c.id, c.external_id, c.candidate_name, c.job_title, c.last_activity_at, c.recruiter_turns,
             c.labeled_turns, c.end_turns, c.schedule_turns, c.reviewer_count, c.is_golden, c.min_suggestion_confidence,
             (SELECT r.labeled_turns FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${actor.id}) AS my_labeled_turns
      FROM conversations c
      WHERE c.id IN (SELECT c.id FROM conversations c WHERE ${where} ${keyset} ORDER BY ${order} LIMIT ${pageSize + 1})
      ORDER BY ${order}`,
    count: Prisma.sql`SELECT count(*) AS n FROM (SELECT 1 FROM conversations c WHERE ${where} LIMIT ${COUNT_CAP + 1}) capped`,
    estimate: Prisma.sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM conversations c WHERE ${where}`,
  };
}

/** The planner's row estimate out of an EXPLAIN (FORMAT JSON) answer (pg returns its one column as parsed JSON). */
export function plannedRows(explain: unknown): number {
  const doc = typeof explain === 'string' ? (JSON.parse(explain) as unknown) : explain;
  const rows = (doc as { Plan?: { 'Plan Rows'?: unknown } }[] | null)?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' && Number.isFinite(rows) ? rows : 0;
}

/**
 * A count past COUNT_CAP as the list shows it ("about N"): the estimate rounded to two
 * significant digits (no false precision), and never below the cap the exact count passed.
 */
export function aboutTotal(estimate: number): number {
  const rounded = Math.max(COUNT_CAP, estimate);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(rounded)) - 1);
  return Math.max(COUNT_CAP, Math.round(rounded / magnitude) * magnitude);
}

export async function listConversations(actor: Actor, requested: ListParams, pageSize = PAGE_SIZE): Promise<ConversationPage> {
  const prisma = db();
  // One round trip for everything: the settings decide what the actor may see, but they
  // change the query only for an outcome filter (allowedView), so every other view is read
  // at once with them; the estimate is only planned, and used when the count passes the cap.
  const run = (p: ListParams) => {
    const sql = listStatements(actor, p, pageSize);
    return Promise.all([
      prisma.$queryRaw<ListRow[]>(sql.page),
      prisma.$queryRaw<{ n: bigint }[]>(sql.count),
      prisma.$queryRaw<{ 'QUERY PLAN': unknown }[]>(sql.estimate),
    ]);
  };
  const outcomeFilter = OUTCOME_FILTERS.includes(requested.filter);
  const [settings, early] = await Promise.all([getLabelingSettings(), outcomeFilter ? null : run(requested)]);
  const outcomesHidden = labelsBlindFor(actor, settings);
  const params = allowedView(requested, outcomesHidden);
  const [raw, countRows, plan] = early ?? (await run(params));
  const byUncertainty = params.sort === 'uncertain';
  const backwards = !params.after && !!params.before;
  const counted = Number(countRows[0]?.n ?? 0);
  const totalEstimated = counted > COUNT_CAP;
  const planned = plannedRows(plan[0]?.['QUERY PLAN']);
  // A planner guess at or under the cap the count just passed is plainly wrong (a filter over
  // a set worked out at run time, such as advisor_review's): then say only "more than 1,000".
  const totalIsFloor = totalEstimated && planned <= COUNT_CAP;
  const total = totalEstimated ? aboutTotal(planned) : counted;
  const hasMore = raw.length > pageSize;
  const page = raw.slice(0, pageSize);
  if (backwards) page.reverse();
  const rows: ConversationRow[] = page.map((r) => ({
    id: r.id,
    externalId: r.external_id,
    candidateName: r.candidate_name,
    jobTitle: r.job_title,
    lastActivityAt: r.last_activity_at,
    recruiterTurns: r.recruiter_turns,
    labeledTurns: r.labeled_turns,
    myLabeledTurns: r.my_labeled_turns ?? 0,
    endTurns: outcomesHidden && !r.is_golden ? null : r.end_turns,
    scheduleTurns: outcomesHidden && !r.is_golden ? null : r.schedule_turns,
    reviewerCount: r.reviewer_count,
    isGolden: r.is_golden,
    minSuggestionConfidence: Number.isFinite(Number(r.min_suggestion_confidence)) ? Number(r.min_suggestion_confidence) : null,
    snippet: null,
  }));
  await addSnippets(rows, params.q);
  const first = rows[0];
  const last = rows.at(-1);
  // There is a next page when we walked forward and saw more, or walked backwards from a cursor.
  const hasNext = backwards ? true : hasMore;
  const hasPrev = backwards ? hasMore : !!params.after;
  const cursorOf = (r: ConversationRow) =>
    byUncertainty ? uncertaintyCursor(r.minSuggestionConfidence ?? Infinity, r.id) : encodeCursor(r.lastActivityAt, r.id);
  return {
    rows,
    nextCursor: hasNext && last ? cursorOf(last) : null,
    prevCursor: hasPrev && first ? cursorOf(first) : null,
    total,
    totalEstimated,
    totalIsFloor,
    filter: params.filter,
    outcomesHidden,
  };
}

// The first matching message of each row on the page (at most PAGE_SIZE conversations, so a
// few hundred short texts are tokenised, never the whole table).
async function addSnippets(rows: ConversationRow[], q: string) {
  const tsq = toPrefixTsQuery(q);
  if (!tsq || rows.length === 0) return;
  const found = await db().$queryRaw<{ conversation_id: number; text: string }[]>`
    SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.text
    FROM messages m
    WHERE m.conversation_id = ANY(${rows.map((r) => r.id)}::int[]) AND to_tsvector(${SEARCH_CONFIG}::regconfig, m.text) @@ to_tsquery(${SEARCH_CONFIG}::regconfig, ${tsq})
    ORDER BY m.conversation_id, m.position`;
  const byId = new Map(found.map((f) => [f.conversation_id, f.text]));
  for (const r of rows) {
    const text = byId.get(r.id);
    if (text) r.snippet = snippetAround(text, q);
  }
}
