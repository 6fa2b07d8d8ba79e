// Inter-reviewer agreement for the agreement page: Cohen's κ per reviewer pair, Fleiss' κ
// over every turn with two or more labels, per-label agreement and the confusion between
// reviewers. PostgreSQL does the counting in ONE statement (labels self-joined per message,
// GROUP BY), so what crosses the wire is a few rows per pair, never the labels themselves;
// the formulas are the shared ones in lib/evals/metrics/agreement.ts.
import { db } from '../db';
import type { Actor } from '../auth/session';
import { isImportSource } from '../auth/account-kind';
import { cohenKappa, emptyPairMatrix, fleissKappa, type CohenKappa, type FleissKappa, type ItemCounts, type PairMatrix } from '../evals/metrics/agreement';
import { isLabel, LABELS, type Label } from '../evals/metrics/labels';
import { assertCanSeeTeamAgreement } from './access';
import { AGREEMENT_WORK_MEM_SQL, labelScopeSql, type AgreementScope } from './scope';

/** A pair's κ is shown only over at least this many turns both reviewers labeled. */
export const MIN_SHARED_TURNS = 20;

/** One row of the aggregate: a pair cell (kind 'pair') or a Fleiss item pattern (kind 'item'). */
export interface AgreementCountRow {
  kind: 'pair' | 'item';
  ra: string | null;
  rb: string | null;
  va: string | null;
  vb: string | null;
  e: number | null;
  c: number | null;
  s: number | null;
  n: number;
}

/**
 * Pair cells: per (reviewer a < reviewer b, a's label, b's label) the number of turns.
 * Item patterns: per (#END, #CONTINUE, #SCHEDULE) among a turn's labels, the number of turns
 * (Fleiss needs nothing more, so 1M labels become a dozen rows; turns with one label are kept
 * so the same rows also count the turns and labels in scope).
 * Two statements, run side by side on two connections: each is one pass over labels, and the
 * page waits for the slower one instead of both in turn.
 */
export function agreementCountsSql(scope: AgreementScope): [pairs: string, items: string] {
  // The conversation condition is needed on one side only: both labels are on the same message.
  const pairs = `SELECT 'pair' AS kind, a.reviewer_id AS ra, b.reviewer_id AS rb, a.value::text AS va, b.value::text AS vb,
           NULL::int AS e, NULL::int AS c, NULL::int AS s, count(*)::int AS n
    FROM labels a JOIN labels b ON b.message_id = a.message_id AND a.reviewer_id < b.reviewer_id
    WHERE ${labelScopeSql('a', scope)} AND ${labelScopeSql('b', scope, { conversation: false })}
    GROUP BY a.reviewer_id, b.reviewer_id, a.value, b.value`;
  const items = `SELECT 'item' AS kind, NULL AS ra, NULL AS rb, NULL AS va, NULL AS vb, e, c, s, count(*)::int AS n
    FROM (SELECT count(*) FILTER (WHERE l.value = 'END')::int AS e,
                 count(*) FILTER (WHERE l.value = 'CONTINUE')::int AS c,
                 count(*) FILTER (WHERE l.value = 'SCHEDULE')::int AS s
          FROM labels l WHERE ${labelScopeSql('l', scope)}
          GROUP BY l.message_id) i
    GROUP BY e, c, s`;
  return [pairs, items];
}

export interface ReviewerRef {
  id: string;
  email: string;
  name: string;
  isImport: boolean;
}

export interface PairAgreement {
  a: ReviewerRef;
  b: ReviewerRef;
  /** matrix[x][y]: turns where a said x and b said y. */
  matrix: PairMatrix;
  kappa: CohenKappa;
  /** At least MIN_SHARED_TURNS shared turns: κ is shown. */
  enough: boolean;
}

export interface LabelAgreement {
  label: Label;
  /** Share of all ratings that were this label. */
  share: number;
  /** Fleiss' κ for this label (agreement on it beyond chance). */
  kappa: number | null;
  /** Specific agreement: of the pairwise judgements that involve this label, the share where both said it. */
  specific: number | null;
}

export interface TeamAgreementSummary {
  pairs: PairAgreement[];
  fleiss: FleissKappa;
  /** Every pair's cells added up, a-orientation by reviewer id (see `unorderedPooled`). */
  pooled: PairMatrix;
  perLabel: LabelAgreement[];
  /** Turns with at least one label in scope, and those labels. */
  labeledTurns: number;
  labels: number;
}

/** Repeats each item pattern `n` times without building the array. */
function* expandItems(rows: readonly AgreementCountRow[]): Generator<ItemCounts> {
  for (const r of rows) {
    if (r.kind !== 'item') continue;
    const item = { END: r.e ?? 0, CONTINUE: r.c ?? 0, SCHEDULE: r.s ?? 0 };
    if (item.END + item.CONTINUE + item.SCHEDULE < 2) continue; // carries no agreement
    for (let i = 0; i < r.n; i++) yield item;
  }
}

/** Pure: the aggregate's rows → κ per pair, Fleiss, per label. `who` names the reviewers. */
export function summariseAgreement(rows: readonly AgreementCountRow[], who: (id: string) => ReviewerRef): TeamAgreementSummary {
  const byPair = new Map<string, { a: string; b: string; matrix: PairMatrix }>();
  const pooled = emptyPairMatrix();
  for (const r of rows) {
    if (r.kind !== 'pair' || !r.ra || !r.rb || !isLabel(r.va) || !isLabel(r.vb)) continue;
    const key = `${r.ra}\u0000${r.rb}`;
    let p = byPair.get(key);
    if (!p) byPair.set(key, (p = { a: r.ra, b: r.rb, matrix: emptyPairMatrix() }));
    p.matrix[r.va][r.vb] += r.n;
    pooled[r.va][r.vb] += r.n;
  }
  const pairs = [...byPair.values()].map(({ a, b, matrix }) => {
    const kappa = cohenKappa(matrix);
    return { a: who(a), b: who(b), matrix, kappa, enough: kappa.n >= MIN_SHARED_TURNS };
  });
  // Pairs with a κ first, best-measured first; then the rest by shared turns.
  pairs.sort(
    (x, y) => Number(y.enough) - Number(x.enough) || y.kappa.n - x.kappa.n || x.a.email.localeCompare(y.a.email) || x.b.email.localeCompare(y.b.email),
  );
  const fleiss = fleissKappa(expandItems(rows));
  const perLabel = LABELS.map((label) => {
    const both = pooled[label][label];
    let involving = 0;
    for (const other of LABELS) involving += pooled[label][other] + pooled[other][label];
    // `involving` counts a both-said-it turn twice (row and column), as the formula wants.
    return { label, share: fleiss.perLabel[label].share, kappa: fleiss.perLabel[label].kappa, specific: involving ? (2 * both) / involving : null };
  });
  let labeledTurns = 0;
  let labels = 0;
  for (const r of rows) {
    if (r.kind !== 'item') continue;
    labeledTurns += r.n;
    labels += r.n * ((r.e ?? 0) + (r.c ?? 0) + (r.s ?? 0));
  }
  return { pairs, fleiss, pooled, perLabel, labeledTurns, labels };
}

/**
 * The pooled matrix with each unordered pair of labels counted once: cell [x][y] for x at or
 * after y in LABELS order (the lower triangle) holds every pair-turn where one reviewer said x
 * and the other y; the upper triangle is null. Pooling over pairs has no "reviewer A" side.
 */
export function unorderedPooled(m: PairMatrix): Record<Label, Record<Label, number | null>> {
  const out = {} as Record<Label, Record<Label, number | null>>;
  LABELS.forEach((x, i) => {
    out[x] = {} as Record<Label, number | null>;
    LABELS.forEach((y, j) => {
      out[x][y] = j > i ? null : i === j ? m[x][x] : m[x][y] + m[y][x];
    });
  });
  return out;
}

export interface TeamAgreement extends TeamAgreementSummary {
  scope: AgreementScope;
  minSharedTurns: number;
}

/** ML lead / admin: the whole team's agreement over the labels in `scope`. */
export async function teamAgreement(actor: Actor, scope: AgreementScope): Promise<TeamAgreement> {
  assertCanSeeTeamAgreement(actor);
  const parts = await Promise.all(
    agreementCountsSql(scope).map((sql) =>
      db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(AGREEMENT_WORK_MEM_SQL);
        return tx.$queryRawUnsafe<AgreementCountRow[]>(sql);
      }),
    ),
  );
  const rows = parts.flat();
  const ids = new Set<string>();
  for (const r of rows) if (r.kind === 'pair') ids.add(r.ra!).add(r.rb!);
  const users = await db().user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, email: true, name: true } });
  const byId = new Map(users.map((u) => [u.id, { ...u, isImport: isImportSource(u.email) }]));
  const who = (id: string): ReviewerRef => byId.get(id) ?? { id, email: `(removed account ${id})`, name: '', isImport: false };
  return { ...summariseAgreement(rows, who), scope, minSharedTurns: MIN_SHARED_TURNS };
}
