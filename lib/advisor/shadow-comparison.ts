// The advisor beside its shadow on the same live requests: how often they agree, and — on the
// live turns reviewers have labeled (majority of reviewers, ties left out) — the accuracy of
// each with McNemar's test clustered by conversation (turns of one conversation are not
// independent). A decision without an answer (a fallback) counts as wrong: the chatbot got
// no advice there.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { resolveTurnLabel, type TurnLabel } from '../datasets/label-policy';
import { assertSignedIn } from '../evals/queries';
import { classificationMetrics, mcnemarTest, type McNemarResult } from '../evals/metrics';
import type { LabelValueName } from '../labeling/label-values';

export interface ModelOnLabeled {
  correct: number;
  accuracy: number | null;
  prematureEndRate: number | null;
  prematureEnd: { count: number; of: number };
}

export interface ShadowComparison {
  shadowId: number;
  /** Requests the shadow answered (or fell back on) beside the advisor. */
  pairs: number;
  /** Pairs where both gave a decision. */
  bothDecided: number;
  agreed: number;
  agreementRate: number | null;
  advisorFellBack: number;
  shadowFellBack: number;
  /** Shadow calls a busy process skipped. */
  dropped: number;
  shadowLatencyP50: number | null;
  shadowLatencyP95: number | null;
  /** The advisor models that answered these requests (a promotion or rollback may fall in the window). */
  advisorModels: string[];
  labeled: {
    /** Live turns with a majority label (one per turn: the latest decision on it). */
    n: number;
    conversations: number;
    /** Labeled turns left out because the reviewers' majority was tied. */
    tied: number;
    advisor: ModelOnLabeled;
    shadow: ModelOnLabeled;
    /** A = the advisor, B = the shadow: b01 = shadow right where the advisor was wrong. */
    mcnemar: McNemarResult | null;
  };
}

const onLabeled = (preds: { truth: LabelValueName; predicted: string }[]): ModelOnLabeled => {
  const m = classificationMetrics(preds.map((p) => ({ truth: p.truth, predicted: (p.predicted ?? 'invalid') as LabelValueName })));
  return { correct: m.correct, accuracy: m.accuracy, prematureEndRate: m.prematureEndRate, prematureEnd: m.prematureEnd };
};

export async function compareShadow(actor: Actor | null, shadowId: number): Promise<ShadowComparison> {
  assertSignedIn(actor);
  const [summary] = await db().$queryRaw<
    {
      pairs: bigint;
      both: bigint;
      agreed: bigint;
      a_fell: bigint;
      b_fell: bigint;
      p50: number | null;
      p95: number | null;
      models: string[] | null;
      dropped: number | null;
    }[]
  >`
    SELECT count(*) AS pairs,
           count(*) FILTER (WHERE d.decision IS NOT NULL AND s.decision IS NOT NULL) AS both,
           count(*) FILTER (WHERE d.decision = s.decision) AS agreed,
           count(*) FILTER (WHERE d.decision IS NULL) AS a_fell,
           count(*) FILTER (WHERE s.decision IS NULL) AS b_fell,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.latency_ms) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY s.latency_ms) AS p95,
           array_agg(DISTINCT d.model) FILTER (WHERE d.model IS NOT NULL) AS models,
           (SELECT dropped_calls FROM advisor_shadows WHERE id = ${shadowId}) AS dropped
    FROM advisor_shadow_decisions s JOIN advisor_decisions d ON d.id = s.decision_id
    WHERE s.shadow_id = ${shadowId}`;

  // The latest decision on each labeled live turn, with every reviewer's current label on it.
  const rows = await db().$queryRaw<
    { message_id: number; conversation_id: number; a: string | null; b: string | null; value: LabelValueName; reviewer_id: string; at: Date }[]
  >`
    WITH turns AS (
      SELECT DISTINCT ON (d.conversation_id, d.position) d.conversation_id, d.decision::text AS a, s.decision::text AS b, m.id AS message_id
      FROM advisor_shadow_decisions s
      JOIN advisor_decisions d ON d.id = s.decision_id
      JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position AND m.sender = 'recruiter'
      WHERE s.shadow_id = ${shadowId}
      ORDER BY d.conversation_id, d.position, d.id DESC
    )
    SELECT t.message_id, t.conversation_id, t.a, t.b, l.value::text AS value, l.reviewer_id, l.updated_at AS at
    FROM turns t JOIN labels l ON l.message_id = t.message_id
    ORDER BY t.message_id`;
  const grouped = new Map<number, { conversationId: number; a: string | null; b: string | null; labels: TurnLabel[] }>();
  for (const r of rows) {
    let t = grouped.get(r.message_id);
    if (!t) grouped.set(r.message_id, (t = { conversationId: r.conversation_id, a: r.a, b: r.b, labels: [] }));
    t.labels.push({ value: r.value, reviewerId: r.reviewer_id, at: r.at.getTime() });
  }

  const truthOf: { conversationId: number; truth: LabelValueName; a: string | null; b: string | null }[] = [];
  let tied = 0;
  for (const t of grouped.values()) {
    const o = resolveTurnLabel(t.labels, { kind: 'majority' });
    if ('label' in o) truthOf.push({ conversationId: t.conversationId, truth: o.label, a: t.a, b: t.b });
    else tied++;
  }
  const advisor = onLabeled(truthOf.map((t) => ({ truth: t.truth, predicted: t.a ?? 'invalid' })));
  const shadow = onLabeled(truthOf.map((t) => ({ truth: t.truth, predicted: t.b ?? 'invalid' })));
  const mcnemar = truthOf.length
    ? mcnemarTest(truthOf.map((t) => ({ aCorrect: t.a === t.truth, bCorrect: t.b === t.truth, cluster: t.conversationId })))
    : null;

  const both = Number(summary.both);
  return {
    shadowId,
    pairs: Number(summary.pairs),
    bothDecided: both,
    agreed: Number(summary.agreed),
    agreementRate: both ? Number(summary.agreed) / both : null,
    advisorFellBack: Number(summary.a_fell),
    shadowFellBack: Number(summary.b_fell),
    dropped: summary.dropped ?? 0,
    shadowLatencyP50: summary.p50 === null ? null : Math.round(summary.p50),
    shadowLatencyP95: summary.p95 === null ? null : Math.round(summary.p95),
    advisorModels: summary.models ?? [],
    labeled: { n: truthOf.length, conversations: new Set(truthOf.map((t) => t.conversationId)).size, tied, advisor, shadow, mcnemar },
  };
}

export const SHADOW_PAIRS_PAGE_SIZE = 10;
export const shadowPairsCursorSchema = z.coerce.number().int().positive().optional().catch(undefined);

export interface ShadowPairRow {
  decisionId: number;
  createdAt: Date;
  externalId: string;
  conversationId: number | null;
  position: number;
  advisorModel: string;
  advisorDecision: string | null;
  advisorConfidence: number | null;
  acted: boolean;
  shadowDecision: string | null;
  shadowConfidence: number | null;
  shadowLatencyMs: number | null;
  shadowFallbackReason: string | null;
  /** The recruiter message decided, once a later request or import brought it. */
  turnMessageId: number | null;
}

/** The latest requests the shadow answered beside the advisor, newest first, keyset by decision id. */
export async function listShadowPairs(actor: Actor | null, shadowId: number, before?: number): Promise<{ rows: ShadowPairRow[]; nextBefore: number | null }> {
  assertSignedIn(actor);
  const rows = await db().$queryRaw<(Omit<ShadowPairRow, 'decisionId'> & { decisionId: bigint })[]>`
    SELECT d.id AS "decisionId", d.created_at AS "createdAt", d.external_id AS "externalId", d.conversation_id AS "conversationId", d.position,
           d.model AS "advisorModel", d.decision::text AS "advisorDecision", d.confidence AS "advisorConfidence", d.acted,
           s.decision::text AS "shadowDecision", s.confidence AS "shadowConfidence", s.latency_ms AS "shadowLatencyMs", s.fallback_reason AS "shadowFallbackReason",
           m.id AS "turnMessageId"
    FROM advisor_shadow_decisions s JOIN advisor_decisions d ON d.id = s.decision_id
    LEFT JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position AND m.sender = 'recruiter'
    WHERE s.shadow_id = ${shadowId} AND (${before ?? null}::bigint IS NULL OR d.id < ${before ?? null}::bigint)
    ORDER BY d.id DESC
    LIMIT ${SHADOW_PAIRS_PAGE_SIZE + 1}`;
  const page = rows.slice(0, SHADOW_PAIRS_PAGE_SIZE).map((r) => ({ ...r, decisionId: Number(r.decisionId) }));
  return { rows: page, nextBefore: rows.length > SHADOW_PAIRS_PAGE_SIZE ? page[page.length - 1].decisionId : null };
}

/** The shadow the page compares: the attached one, else the one detached last (null: never any). */
export async function shadowToCompare(actor: Actor | null) {
  assertSignedIn(actor);
  const attached = await db().advisorShadow.findFirst({ where: { detachedAt: null }, orderBy: { id: 'desc' } });
  return attached ?? (await db().advisorShadow.findFirst({ orderBy: { id: 'desc' } }));
}
