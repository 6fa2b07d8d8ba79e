// The conversations list: filters, full-text search, keyset pagination by last activity.
// Filters read counters kept on conversations / conversation_reviewers, so no request
// aggregates labels at query time (see lib/conversations/stats.ts).
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { encodeCursor, type ConversationFilter, type ListParams } from './list-params';
import { SEARCH_CONFIG, toPrefixTsQuery } from './search-query';

export const PAGE_SIZE = 50;
// Counting every match of a broad filter over 100k conversations costs more than the page
// itself; past this many the list says "10,000+".
export const COUNT_CAP = 10_000;

export interface ConversationRow {
  id: number;
  externalId: string;
  candidateName: string | null;
  jobTitle: string | null;
  lastActivityAt: Date;
  recruiterTurns: number;
  labeledTurns: number;
  myLabeledTurns: number;
  endTurns: number;
  scheduleTurns: number;
  reviewerCount: number;
  /** Hand-written golden conversation (labels fixed, never trained on). */
  isGolden: boolean;
}

export interface ConversationPage {
  rows: ConversationRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  total: number;
  /** True when there are more than `total` (= COUNT_CAP) matches. */
  totalCapped: boolean;
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
    case 'others_not_mine':
      return Prisma.sql`c.reviewer_count > 0 AND NOT EXISTS (SELECT 1 FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${reviewerId})`;
    case 'flagged':
      return Prisma.sql`EXISTS (SELECT 1 FROM turn_flags f WHERE f.conversation_id = c.id)`;
    case 'commented':
      return Prisma.sql`EXISTS (SELECT 1 FROM turn_comments n WHERE n.conversation_id = c.id)`;
    case 'sequence_problems':
      return Prisma.sql`c.sequence_problem_turns > 0`;
    case 'all':
      return Prisma.sql`TRUE`;
  }
}

function whereSql(actor: Actor, params: Pick<ListParams, 'q' | 'filter'>): Prisma.Sql {
  const parts = [filterSql(params.filter, actor.id)];
  const tsq = toPrefixTsQuery(params.q);
  if (params.q) {
    parts.push(
      tsq ? Prisma.sql`(c.search @@ to_tsquery(${SEARCH_CONFIG}::regconfig, ${tsq}) OR c.external_id = ${params.q})` : Prisma.sql`c.external_id = ${params.q}`,
    );
  }
  return Prisma.join(parts, ' AND ');
}

export async function listConversations(actor: Actor, params: ListParams, pageSize = PAGE_SIZE): Promise<ConversationPage> {
  const where = whereSql(actor, params);
  const desc = params.sort === 'recent';
  // Walking backwards ("before") flips the order, then the page is reversed again below.
  const backwards = !params.after && !!params.before;
  const cursor = params.after ?? params.before;
  const forwardDesc = desc !== backwards;
  const cmp = forwardDesc ? Prisma.sql`<` : Prisma.sql`>`;
  const order = forwardDesc ? Prisma.sql`c.last_activity_at DESC, c.id DESC` : Prisma.sql`c.last_activity_at ASC, c.id ASC`;
  const keyset = cursor ? Prisma.sql`AND (c.last_activity_at, c.id) ${cmp} (${cursor.at}::timestamp, ${cursor.id}::int)` : Prisma.empty;

  const prisma = db();
  const [raw, countRows] = await Promise.all([
    prisma.$queryRaw<
      {
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
      }[]
    >`
      SELECT c.id, c.external_id, c.candidate_name, c.job_title, c.last_activity_at, c.recruiter_turns,
             c.labeled_turns, c.end_turns, c.schedule_turns, c.reviewer_count, c.is_golden,
             (SELECT r.labeled_turns FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${actor.id}) AS my_labeled_turns
      FROM conversations c
      WHERE ${where} ${keyset}
      ORDER BY ${order}
      LIMIT ${pageSize + 1}`,
    prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM conversations c WHERE ${where} LIMIT ${COUNT_CAP + 1}) capped`,
  ]);
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
    endTurns: r.end_turns,
    scheduleTurns: r.schedule_turns,
    reviewerCount: r.reviewer_count,
    isGolden: r.is_golden,
  }));
  const first = rows[0];
  const last = rows.at(-1);
  // There is a next page when we walked forward and saw more, or walked backwards from a cursor.
  const hasNext = backwards ? true : hasMore;
  const hasPrev = backwards ? hasMore : !!params.after;
  return {
    rows,
    nextCursor: hasNext && last ? encodeCursor(last.lastActivityAt, last.id) : null,
    prevCursor: hasPrev && first ? encodeCursor(first.lastActivityAt, first.id) : null,
    total: Math.min(Number(countRows[0]?.n ?? 0), COUNT_CAP),
    totalCapped: Number(countRows[0]?.n ?? 0) > COUNT_CAP,
  };
}
