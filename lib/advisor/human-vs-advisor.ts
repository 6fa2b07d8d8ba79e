// Human vs advisor: on live turns that have both a decision and human labels, how often the
// advisor agreed with the reviewers, and how often it made the costly errors (premature END,
// missed SCHEDULE) — over every decision the model gave, and over the decisions the chatbot
// acted on (confidence ≥ threshold), which is what candidates actually saw.
//
// Definitions (the page prints them):
// - A turn is a decided recruiter turn: the message at the decision's position, once the live
//   merge linked the decision to its conversation. Several decisions of one turn (a chatbot
//   retrying) count once: the newest (within the model/date filter).
// - The human label of a turn is the label more of its reviewers gave than any other (labels by
//   anyone, imported files included). A tie at the top (two reviewers who disagree, 1–1–1) has no
//   human label: the turn is left out and counted as a tie.
// - Fallbacks (no decision) and deferred decisions are columns of their own: they stay in the
//   denominators of the rates, exactly as an invalid answer does in lib/evals/metrics/classification.ts,
//   and out of κ and agreement, which compare two labels.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { assertSignedIn } from '../evals/queries';
import { cohenKappa, emptyPairMatrix, type CohenKappa } from '../evals/metrics/agreement';
import { LABELS, ratio, type Label } from '../evals/metrics/labels';
import type { RateCount } from '../evals/metrics/classification';

/** Columns of a view: the advisor's label, or why the chatbot got none from it. */
export const ADVISOR_COLUMNS = [...LABELS, 'deferred', 'fallback'] as const;
export type AdvisorColumn = (typeof ADVISOR_COLUMNS)[number];
export type HumanVsAdvisorMatrix = Record<Label, Record<AdvisorColumn, number>>;

export type HumanVsAdvisorViewName = 'all' | 'acted';

export interface HumanVsAdvisorView {
  /** matrix[human][advisor]. In `all`, `deferred` is always 0 (a deferred decision still has its label). */
  matrix: HumanVsAdvisorMatrix;
  /** Turns in the view (every turn with a human label); the rates' population. */
  turns: number;
  /** Agreement and Cohen's κ over the turns where the advisor gave (or, in `acted`, acted on) a label. */
  kappa: CohenKappa;
  /** Advisor (acted) END where humans say CONTINUE or SCHEDULE, over turns humans labeled CONTINUE or SCHEDULE. */
  prematureEnd: RateCount;
  prematureEndRate: number | null;
  /** Humans say SCHEDULE, the advisor (acted) did not say SCHEDULE — fallbacks and deferrals included. */
  missedSchedule: RateCount;
  missedScheduleRate: number | null;
}

export interface HumanVsAdvisor {
  /** Decided turns that have at least one human label (ties included). */
  labeledTurns: number;
  /** Of those, turns whose reviewers tied at the top: no human label, left out of every number below. */
  ties: number;
  /** Turns in the views labeled by two reviewers or more (their label is the majority). */
  multiReviewer: number;
  all: HumanVsAdvisorView;
  acted: HumanVsAdvisorView;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const lenient = <S extends z.ZodType>(s: S) => s.optional().catch(undefined);
/** The Advisor page's model and date filters apply here too; decision/acted/confidence filters would bias the comparison, so they do not. */
export const humanVsAdvisorFilterSchema = z.object({
  model: lenient(z.string().trim().min(1).max(200)),
  from: lenient(day),
  to: lenient(day),
});
export type HumanVsAdvisorFilter = z.infer<typeof humanVsAdvisorFilterSchema>;

// The newest decision of every decided turn that has labels, with its human label (NULL on a
// tie), its reviewers, and the column it falls in for each view. Shared by the aggregate and the
// drill-down so both count the same turns.
function turnsSql(f: HumanVsAdvisorFilter): Prisma.Sql {
  const where: Prisma.Sql[] = [Prisma.sql`d.conversation_id IS NOT NULL`];
  if (f.model) where.push(Prisma.sql`d.model = ${f.model}`);
  if (f.from) where.push(Prisma.sql`d.created_at >= ${f.from}::date`);
  if (f.to) where.push(Prisma.sql`d.created_at < ${f.to}::date + 1`);
  return Prisma.sql`
    WITH decided AS (
      SELECT DISTINCT ON (d.conversation_id, d.position) d.id, d.conversation_id, d.position, d.external_id, d.decision, d.confidence, d.acted, d.fell_back
      FROM advisor_decisions d
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY d.conversation_id, d.position, d.id DESC
    ), turn AS (
      SELECT t.*, m.id AS message_id
      FROM decided t JOIN messages m ON m.conversation_id = t.conversation_id AND m.position = t.position AND m.sender = 'recruiter'
    ), votes AS (
      SELECT l.message_id, l.value, count(*)::int AS n, max(count(*)) OVER (PARTITION BY l.message_id)::int AS top
      FROM labels l WHERE l.message_id IN (SELECT message_id FROM turn)
      GROUP BY l.message_id, l.value
    ), human AS (
      SELECT message_id,
             CASE WHEN count(*) FILTER (WHERE n = top) = 1 THEN max(value::text) FILTER (WHERE n = top) END AS human,
             sum(n)::int AS reviewers,
             string_agg(value::text || ' ' || n, ' · ' ORDER BY n DESC, value) AS votes
      FROM votes GROUP BY message_id
    ), scored AS (
      SELECT t.*, h.human, h.reviewers, h.votes,
             CASE WHEN t.decision IS NULL THEN 'fallback' ELSE t.decision::text END AS all_column,
             CASE WHEN t.decision IS NULL THEN 'fallback' WHEN t.acted THEN t.decision::text ELSE 'deferred' END AS acted_column
      FROM turn t JOIN human h ON h.message_id = t.message_id
    )`;
}

function emptyMatrix(): HumanVsAdvisorMatrix {
  const row = () => Object.fromEntries(ADVISOR_COLUMNS.map((c) => [c, 0])) as Record<AdvisorColumn, number>;
  return Object.fromEntries(LABELS.map((l) => [l, row()])) as HumanVsAdvisorMatrix;
}

/** κ, agreement and the two costly-error rates of one matrix (the rates as classification.ts defines them). */
export function viewMetrics(matrix: HumanVsAdvisorMatrix): HumanVsAdvisorView {
  const pairs = emptyPairMatrix();
  let turns = 0;
  for (const h of LABELS) {
    for (const c of ADVISOR_COLUMNS) turns += matrix[h][c];
    for (const a of LABELS) pairs[h][a] = matrix[h][a];
  }
  const rowTotal = (h: Label) => ADVISOR_COLUMNS.reduce((s, c) => s + matrix[h][c], 0);
  const prematureEnd = { count: matrix.CONTINUE.END + matrix.SCHEDULE.END, of: rowTotal('CONTINUE') + rowTotal('SCHEDULE') };
  const missedSchedule = { count: rowTotal('SCHEDULE') - matrix.SCHEDULE.SCHEDULE, of: rowTotal('SCHEDULE') };
  return {
    matrix,
    turns,
    kappa: cohenKappa(pairs),
    prematureEnd,
    prematureEndRate: ratio(prematureEnd.count, prematureEnd.of),
    missedSchedule,
    missedScheduleRate: ratio(missedSchedule.count, missedSchedule.of),
  };
}

export async function humanVsAdvisor(actor: Actor | null, f: HumanVsAdvisorFilter = {}): Promise<HumanVsAdvisor> {
  assertSignedIn(actor);
  // One aggregate: at most 3 × 5 × 5 groups (plus ties) come back, never the turns themselves.
  const rows = await db().$queryRaw<{ human: Label | null; all_column: AdvisorColumn; acted_column: AdvisorColumn; multi: boolean; n: number }[]>`
    ${turnsSql(f)}
    SELECT human, all_column, acted_column, reviewers > 1 AS multi, count(*)::int AS n FROM scored GROUP BY 1, 2, 3, 4`;
  const all = emptyMatrix();
  const acted = emptyMatrix();
  let labeledTurns = 0;
  let ties = 0;
  let multiReviewer = 0;
  for (const r of rows) {
    labeledTurns += r.n;
    if (r.human === null) {
      ties += r.n;
      continue;
    }
    if (r.multi) multiReviewer += r.n;
    all[r.human][r.all_column] += r.n;
    acted[r.human][r.acted_column] += r.n;
  }
  return { labeledTurns, ties, multiReviewer, all: viewMetrics(all), acted: viewMetrics(acted) };
}

// ---- drill-down: the turns of one cell ----

export const cellSchema = z
  .string()
  .regex(/^(all|acted)\.(END|CONTINUE|SCHEDULE|tie)\.(END|CONTINUE|SCHEDULE|deferred|fallback|any)$/)
  .transform((s) => {
    const [view, human, column] = s.split('.');
    return { view: view as HumanVsAdvisorViewName, human: human as Label | 'tie', column: column as AdvisorColumn | 'any' };
  });
export type HumanVsAdvisorCell = z.infer<typeof cellSchema>;

export const CELL_PAGE_SIZE = 20;

export interface CellTurn {
  decisionId: number;
  conversationId: number;
  messageId: number;
  externalId: string;
  position: number;
  decision: Label | null;
  confidence: number | null;
  acted: boolean;
  fellBack: boolean;
  /** Every reviewer label of the turn, most given first: "END 2 · CONTINUE 1" (label order on a tie). */
  votes: string;
}

/** One keyset page (newest decision first) of the turns counted in a cell; ties are the "tie.any" cell. */
export async function humanVsAdvisorCell(
  actor: Actor | null,
  f: HumanVsAdvisorFilter,
  cell: HumanVsAdvisorCell,
  before?: number,
): Promise<{ rows: CellTurn[]; nextBefore: number | null }> {
  assertSignedIn(actor);
  const where: Prisma.Sql[] = [cell.human === 'tie' ? Prisma.sql`human IS NULL` : Prisma.sql`human = ${cell.human}`];
  if (cell.column !== 'any') where.push(cell.view === 'all' ? Prisma.sql`all_column = ${cell.column}` : Prisma.sql`acted_column = ${cell.column}`);
  if (before) where.push(Prisma.sql`id < ${before}`);
  const rows = await db().$queryRaw<(Omit<CellTurn, 'decisionId'> & { decisionId: bigint })[]>`
    ${turnsSql(f)}
    SELECT id AS "decisionId", conversation_id AS "conversationId", message_id AS "messageId", external_id AS "externalId", position,
           decision::text AS decision, confidence, acted, fell_back AS "fellBack", votes
    FROM scored WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY id DESC LIMIT ${CELL_PAGE_SIZE + 1}`;
  const page = rows.slice(0, CELL_PAGE_SIZE).map((r) => ({ ...r, decisionId: Number(r.decisionId) }));
  return { rows: page, nextBefore: rows.length > CELL_PAGE_SIZE ? page[page.length - 1].decisionId : null };
}
