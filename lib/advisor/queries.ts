// What the Advisor page reads: the decision log filtered, grouped over time and by confidence,
// and one keyset-paginated page of decisions with where each one opens in the Studio.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { assertSignedIn } from '../evals/queries';
import { LABEL_VALUES } from '../labeling/label-values';

export const CONFIDENCE_BANDS = { low: [0, 0.5], mid: [0.5, 0.7], high: [0.7, 0.9], top: [0.9, 1.0000001] } as const;
export type ConfidenceBand = keyof typeof CONFIDENCE_BANDS;
export const BAND_NAMES: Record<ConfidenceBand | 'none', string> = { low: '< 0.5', mid: '0.5 – 0.7', high: '0.7 – 0.9', top: '≥ 0.9', none: 'no confidence' };

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');
// Unknown or broken URL values are dropped rather than failing the page.
const lenient = <S extends z.ZodType>(s: S) => s.optional().catch(undefined);
export const decisionFilterSchema = z.object({
  decision: lenient(z.enum([...LABEL_VALUES, 'none'])),
  acted: lenient(z.enum(['yes', 'no'])),
  band: lenient(z.enum(['low', 'mid', 'high', 'top', 'none'])),
  model: lenient(z.string().trim().min(1).max(200)),
  from: lenient(day),
  to: lenient(day),
  before: lenient(z.coerce.number().int().positive()),
});
export type DecisionFilter = z.infer<typeof decisionFilterSchema>;

function whereOf(f: DecisionFilter, opts: { cursor?: boolean } = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`true`];
  if (f.decision === 'none') parts.push(Prisma.sql`d.decision IS NULL`);
  else if (f.decision) parts.push(Prisma.sql`d.decision = ${f.decision}::"LabelValue"`);
  if (f.acted) parts.push(Prisma.sql`d.acted = ${f.acted === 'yes'}`);
  if (f.band === 'none') parts.push(Prisma.sql`d.confidence IS NULL`);
  else if (f.band) parts.push(Prisma.sql`d.confidence >= ${CONFIDENCE_BANDS[f.band][0]} AND d.confidence < ${CONFIDENCE_BANDS[f.band][1]}`);
  if (f.model) parts.push(Prisma.sql`d.model = ${f.model}`);
  if (f.from) parts.push(Prisma.sql`d.created_at >= ${f.from}::date`);
  if (f.to) parts.push(Prisma.sql`d.created_at < ${f.to}::date + 1`);
  if (opts.cursor && f.before) parts.push(Prisma.sql`d.id < ${f.before}`);
  return Prisma.join(parts, ' AND ');
}

export const DECISIONS_PAGE_SIZE = 25;

export interface DecisionRow {
  id: number;
  createdAt: Date;
  externalId: string;
  conversationId: number | null;
  position: number;
  decision: string | null;
  confidence: number | null;
  acted: boolean;
  threshold: number;
  model: string;
  promotionId: number;
  latencyMs: number;
  fellBack: boolean;
  fallbackReason: string | null;
  keyName: string | null;
  /** The recruiter message the decision was about, once it is in the stored conversation. */
  turnMessageId: number | null;
}

export async function listDecisions(actor: Actor | null, f: DecisionFilter): Promise<{ rows: DecisionRow[]; nextBefore: number | null }> {
  assertSignedIn(actor);
  const rows = await db().$queryRaw<(Omit<DecisionRow, 'id'> & { id: bigint })[]>`
    SELECT d.id, d.created_at AS "createdAt", d.external_id AS "externalId", d.conversation_id AS "conversationId", d.position,
           d.decision::text AS decision, d.confidence, d.acted, d.threshold, d.model, d.promotion_id AS "promotionId",
           d.latency_ms AS "latencyMs", d.fell_back AS "fellBack", d.fallback_reason AS "fallbackReason", k.name AS "keyName",
           m.id AS "turnMessageId"
    FROM advisor_decisions d
    LEFT JOIN api_keys k ON k.id = d.api_key_id
    LEFT JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position AND m.sender = 'recruiter'
    WHERE ${whereOf(f, { cursor: true })}
    ORDER BY d.id DESC
    LIMIT ${DECISIONS_PAGE_SIZE + 1}`;
  const page = rows.slice(0, DECISIONS_PAGE_SIZE).map((r) => ({ ...r, id: Number(r.id) }));
  return { rows: page, nextBefore: rows.length > DECISIONS_PAGE_SIZE ? page[page.length - 1].id : null };
}

export interface DayCount {
  day: string;
  END: number;
  CONTINUE: number;
  SCHEDULE: number;
  none: number;
  acted: number;
  deferred: number;
}

/** Decisions per day (UTC) by label and by acted/deferred, over the filtered log. */
export async function decisionsOverTime(actor: Actor | null, f: DecisionFilter): Promise<DayCount[]> {
  assertSignedIn(actor);
  const rows = await db().$queryRaw<{ day: string; decision: string | null; acted: boolean; n: bigint }[]>`
    SELECT to_char(date_trunc('day', d.created_at), 'YYYY-MM-DD') AS day, d.decision::text AS decision, d.acted, count(*) AS n
    FROM advisor_decisions d WHERE ${whereOf(f)}
    GROUP BY 1, 2, 3 ORDER BY 1`;
  const byDay = new Map<string, DayCount>();
  for (const r of rows) {
    const c = byDay.get(r.day) ?? { day: r.day, END: 0, CONTINUE: 0, SCHEDULE: 0, none: 0, acted: 0, deferred: 0 };
    const n = Number(r.n);
    c[(r.decision ?? 'none') as 'END' | 'none'] += n;
    c[r.acted ? 'acted' : 'deferred'] += n;
    byDay.set(r.day, c);
  }
  return [...byDay.values()];
}

export interface ConfidenceBin {
  from: number;
  to: number;
  acted: number;
  deferred: number;
}

/** Confidence in ten bins of 0.1, split by acted/deferred (decisions without a confidence apart). */
export async function confidenceDistribution(actor: Actor | null, f: DecisionFilter): Promise<{ bins: ConfidenceBin[]; withoutConfidence: number }> {
  assertSignedIn(actor);
  const rows = await db().$queryRaw<{ bin: number | null; acted: boolean; n: bigint }[]>`
    SELECT CASE WHEN d.confidence IS NULL THEN NULL ELSE least(9, floor(d.confidence * 10))::int END AS bin, d.acted, count(*) AS n
    FROM advisor_decisions d WHERE ${whereOf(f)} GROUP BY 1, 2`;
  const bins: ConfidenceBin[] = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, acted: 0, deferred: 0 }));
  let withoutConfidence = 0;
  for (const r of rows) {
    if (r.bin === null) withoutConfidence += Number(r.n);
    else bins[r.bin][r.acted ? 'acted' : 'deferred'] += Number(r.n);
  }
  return { bins, withoutConfidence };
}

/** Models that have answered decisions (the model filter's choices). */
export async function decisionModels(actor: Actor | null): Promise<string[]> {
  assertSignedIn(actor);
  const rows = await db().$queryRaw<{ model: string }[]>`SELECT model FROM advisor_promotions GROUP BY model ORDER BY max(id) DESC`;
  return rows.map((r) => r.model);
}

/** A decision as the conversation page shows it beside the turn it decided. */
export async function decisionForConversation(actor: Actor | null, decisionId: number, conversationId: number) {
  assertSignedIn(actor);
  const d = await db().advisorDecision.findUnique({ where: { id: BigInt(decisionId) } });
  if (!d || d.conversationId !== conversationId) return null;
  return {
    id: Number(d.id),
    position: d.position,
    decision: d.decision,
    confidence: d.confidence,
    acted: d.acted,
    threshold: d.threshold,
    model: d.model,
    fellBack: d.fellBack,
    fallbackReason: d.fallbackReason,
    createdAt: d.createdAt,
  };
}
