// The compare page's list of examples two runs answered differently, 20 a page in file order:
// one keyset walk of the two runs' predictions joined on the example (primary key (run_id,
// ordinal) on both sides), so a page reads a page's worth of rows whatever the runs' size and
// no request ever loads every prediction.
import type { Actor } from '../auth/session';
import { db } from '../db';
import { EvalInputError } from './errors';
import { assertSignedIn } from './queries';

export const DISAGREEMENTS_PAGE_SIZE = 20;
/** all: the answers differ; base-right / other-right: only that run is right. */
export const DISAGREEMENT_KINDS = ['all', 'base-right', 'other-right'] as const;
export type DisagreementKind = (typeof DISAGREEMENT_KINDS)[number];

export interface Disagreement {
  ordinal: number;
  conversationId: number;
  messageId: number;
  externalId: string | null;
  truth: string;
  basePredicted: string;
  otherPredicted: string;
  baseConfidence: number | null;
  otherConfidence: number | null;
}

export interface DisagreementQuery {
  baseRunId: number;
  otherRunId: number;
  kind?: DisagreementKind;
  /** The last ordinal of the previous page (keyset). */
  after?: number;
}

export async function listDisagreements(actor: Actor | null, q: DisagreementQuery): Promise<{ rows: Disagreement[]; nextAfter: number | null }> {
  assertSignedIn(actor);
  const kind = q.kind ?? 'all';
  const after = q.after ?? 0;
  const issues = [];
  for (const field of ['baseRunId', 'otherRunId'] as const) {
    if (!Number.isInteger(q[field]) || q[field] < 1) issues.push({ field, message: `${field} must be a positive whole number` });
  }
  if (q.baseRunId === q.otherRunId) issues.push({ field: 'otherRunId', message: 'compare a run with another run, not itself' });
  if (!DISAGREEMENT_KINDS.includes(kind)) issues.push({ field: 'kind', message: `kind must be one of ${DISAGREEMENT_KINDS.join(', ')}` });
  if (!Number.isInteger(after) || after < 0) issues.push({ field: 'after', message: 'after must be a whole number' });
  if (issues.length) throw new EvalInputError(issues);

  const runs = await db().evalRun.findMany({ where: { id: { in: [q.baseRunId, q.otherRunId] } }, select: { id: true, datasetVersionId: true, split: true } });
  const base = runs.find((r) => r.id === q.baseRunId);
  const other = runs.find((r) => r.id === q.otherRunId);
  if (!base || !other) throw new EvalInputError([{ field: 'runIds', message: `no eval run ${!base ? q.baseRunId : q.otherRunId}` }]);
  if (base.datasetVersionId !== other.datasetVersionId || base.split !== other.split)
    throw new EvalInputError([{ field: 'runIds', message: `runs ${base.id} and ${other.id} are not on the same dataset version and split` }]);

  const rows = await db().$queryRaw<Disagreement[]>`
    SELECT a.ordinal, a.conversation_id AS "conversationId", a.message_id AS "messageId", e.external_id AS "externalId",
           a.truth::text AS truth, a.predicted AS "basePredicted", b.predicted AS "otherPredicted",
           a.confidence AS "baseConfidence", b.confidence AS "otherConfidence"
    FROM eval_predictions a
    JOIN eval_predictions b ON b.run_id = ${other.id} AND b.ordinal = a.ordinal
    LEFT JOIN dataset_examples e ON e.version_id = ${base.datasetVersionId} AND e.split = ${base.split}::"DatasetSplit" AND e.ordinal = a.ordinal
    WHERE a.run_id = ${base.id} AND a.ordinal > ${after} AND a.predicted <> b.predicted
      AND (${kind} <> 'base-right' OR a.predicted = a.truth::text)
      AND (${kind} <> 'other-right' OR b.predicted = b.truth::text)
    ORDER BY a.ordinal
    LIMIT ${DISAGREEMENTS_PAGE_SIZE + 1}`;
  const more = rows.length > DISAGREEMENTS_PAGE_SIZE;
  const page = rows.slice(0, DISAGREEMENTS_PAGE_SIZE);
  return { rows: page, nextAfter: more ? page[page.length - 1].ordinal : null };
}
