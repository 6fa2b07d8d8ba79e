// Build step 1, the freeze: every labeled turn of the selection, its labels resolved under the
// version's policy (and tallied under the others), copied into dataset_build_turns (one row per
// conversation: its turns' message ids and labels).
//
// Set-based, in one SQL statement: PostgreSQL groups each turn's labels, resolves every policy
// from per-value counts (the same rules as label-policy.ts, which the dataset page and the tests
// share; label-policy-sql.test.ts holds the two to the same outcomes), inserts the chosen
// policy's labels and returns the tallies. No row crosses the wire.
//
// Label snapshot: one statement reads through one snapshot, so the labels a version holds are
// the labels as they stood at one instant, however long the freeze takes and whoever labels
// meanwhile. It locks nothing a reviewer writes (it only inserts its own scratch rows). An
// interrupted freeze leaves nothing (the statement is atomic) and starts over in a new
// snapshot, so a version is never a mix of two; once the turns are frozen, later steps never
// read `labels` again.
import type pg from 'pg';
import { LABEL_VALUES } from '../labeling/label-values';
import { DatasetBuildError } from './errors';
import { emptyDecidedBy, EXCLUSION_REASONS, type DecidedByTally, type ExclusionReason, type PolicyTally } from './label-policy';
import { formatPolicy, type DatasetParams, type LabelPolicy } from './params';
import { selectionWhere } from './selection';

/** What the freeze counted, kept on the version (build_state) until it is ready. */
export interface FreezeTally {
  labeledTurns: number;
  /** Labeled opening messages: nothing comes before them, so they are never decisions. */
  opening: number;
  withoutCandidate: number;
  tallies: PolicyTally[];
  /** Under the adjudicated policy: turns decided by an adjudication, by majority, or left out. */
  decidedBy: DecidedByTally | null;
  /** Turns that become examples. */
  frozen: number;
}

function comparisonPolicies(chosen: LabelPolicy): LabelPolicy[] {
  const k = chosen.kind === 'agree' ? chosen.k : 2;
  // Versions built with the other policies keep exactly the comparison (and manifest) they had.
  return [{ kind: 'latest' }, { kind: 'majority' }, { kind: 'agree', k }, ...(chosen.kind === 'adjudicated' ? [chosen] : [])];
}

const col = (v: string) => `c_${v.toLowerCase()}`;

/**
 * SQL over one row per turn (`n` labels, `c_<value>` labels per value, `adj`, `latest`): each
 * policy's label (NULL when excluded) and exclusion reason (NULL when included), as resolveTurnLabel.
 */
function policySql(p: LabelPolicy): { label: string; excluded: string } {
  // A strict winner: more labels than every other value (a tie at the top is no winner).
  const majority = `CASE ${LABEL_VALUES.map(
    (v) =>
      `WHEN ${LABEL_VALUES.filter((o) => o !== v)
        .map((o) => `${col(v)} > ${col(o)}`)
        .join(' AND ')} THEN '${v}'`,
  ).join(' ')} END`;
  if (p.kind === 'latest') return { label: 'latest', excluded: 'NULL' };
  if (p.kind === 'majority') return { label: majority, excluded: `CASE WHEN (${majority}) IS NULL THEN 'tie' END` };
  if (p.kind === 'adjudicated') return { label: `coalesce(adj, ${majority})`, excluded: `CASE WHEN coalesce(adj, ${majority}) IS NULL THEN 'tie' END` };
  const values = LABEL_VALUES.map((v) => `(${col(v)} > 0)::int`).join(' + ');
  const excluded = `CASE WHEN ${values} > 1 THEN 'disagreement' WHEN n < ${p.k} THEN 'too_few_reviewers' END`;
  return { label: `CASE WHEN (${excluded}) IS NULL THEN latest END`, excluded };
}

export async function freezeLabels(
  writer: pg.Client,
  versionId: number,
  params: DatasetParams,
  kind: 'labels' | 'golden',
  progress: (done: number, total: number) => void,
  /** Run once the freeze's statement is sent, while PostgreSQL works on it. */
  whileFreezing: () => void = () => {},
): Promise<FreezeTally> {
  const where = selectionWhere(params, 2, kind);
  const policies = comparisonPolicies(params.policy);
  const chosen = policySql(params.policy);
  const adjudicated = params.policy.kind === 'adjudicated';
  const byPolicy = policies.map(policySql);
  const majority = policySql({ kind: 'majority' }).label;
  progress(0, 1);
  await writer.query('BEGIN');
  try {
    await writer.query(`SET LOCAL work_mem = '128MB'`);
    await writer.query('DELETE FROM dataset_build_turns WHERE version_id = $1', [versionId]);
    // "latest": the most recent change wins, equal times go to the larger reviewer id (compared
    // as JS compares strings, code unit by code unit: COLLATE "C" for the ASCII ids we issue).
    const pending = writer.query<Record<string, string>>(
      `WITH turns AS MATERIALIZED (
         SELECT l.conversation_id, l.message_id, m.position, count(*) AS n,
                ${LABEL_VALUES.map((v) => `count(*) FILTER (WHERE l.value = '${v}') AS ${col(v)}`).join(', ')},
                (array_agg(l.value::text ORDER BY (extract(epoch FROM l.updated_at) * 1000)::float8 DESC, l.reviewer_id COLLATE "C" DESC))[1] AS latest,
                ${adjudicated ? 'min(a.value::text)' : 'NULL::text'} AS adj,
                ${
                  params.includeTurnsWithoutCandidate
                    ? 'true'
                    : `EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = l.conversation_id AND p.position < m.position AND p.sender = 'candidate')`
                } AS after_candidate
         FROM conversations c
         JOIN labels l ON l.conversation_id = c.id
         JOIN messages m ON m.id = l.message_id
         ${adjudicated ? 'LEFT JOIN adjudications a ON a.message_id = l.message_id' : ''}
         WHERE ${where.sql}
         GROUP BY l.conversation_id, l.message_id, m.position
       ),
       -- The opening text has no transcript to decide from; every later turn is a decision,
       -- nudges into silence and the close after unanswered nudges included.
       decisions AS MATERIALIZED (
         SELECT *, ${chosen.label} AS chosen FROM turns WHERE position > 0 AND after_candidate
       ),
       -- One row per conversation, its turns in message id order (the plan reads them as is).
       frozen AS (
         INSERT INTO dataset_build_turns (version_id, conversation_id, message_ids, labels)
         SELECT $1, conversation_id, array_agg(message_id ORDER BY message_id), array_agg(chosen::"LabelValue" ORDER BY message_id)
         FROM decisions WHERE chosen IS NOT NULL GROUP BY conversation_id
         RETURNING cardinality(message_ids) AS n
       )
       SELECT (SELECT count(*) FROM turns) AS labeled,
              (SELECT count(*) FROM turns WHERE position = 0) AS opening,
              (SELECT count(*) FROM turns WHERE position > 0 AND NOT after_candidate) AS without,
              (SELECT coalesce(sum(n), 0) FROM frozen) AS frozen,
              ${byPolicy
                .map((p, i) =>
                  [
                    `count(*) FILTER (WHERE (${p.label}) IS NOT NULL) AS p${i}_included`,
                    ...Object.keys(EXCLUSION_REASONS).map((r) => `count(*) FILTER (WHERE (${p.excluded}) = '${r}') AS p${i}_${r}`),
                  ].join(', '),
                )
                .join(',\n              ')}
              ${adjudicated ? `, count(adj) AS by_adjudication, count(*) FILTER (WHERE adj IS NULL AND (${majority}) IS NOT NULL) AS by_majority` : ''}
       FROM decisions`,
      [versionId, ...where.values],
    );
    pending.catch(() => {}); // awaited below
    whileFreezing();
    const { rows } = await pending;
    const r = rows[0];
    const n = (k: string) => Number(r[k]);
    const tallies: PolicyTally[] = policies.map((p, i) => ({
      policy: formatPolicy(p),
      included: n(`p${i}_included`),
      excluded: Object.fromEntries(Object.keys(EXCLUSION_REASONS).map((k) => [k, n(`p${i}_${k}`)])) as Record<ExclusionReason, number>,
    }));
    const chosenTally = tallies[policies.findIndex((p) => formatPolicy(p) === formatPolicy(params.policy))];
    const decidedBy = adjudicated
      ? { ...emptyDecidedBy(), adjudication: n('by_adjudication'), majority: n('by_majority'), excluded: chosenTally.excluded.tie }
      : null;
    const result: FreezeTally = { labeledTurns: n('labeled'), opening: n('opening'), withoutCandidate: n('without'), tallies, decidedBy, frozen: n('frozen') };
    if (result.frozen === 0) throw new DatasetBuildError(`No examples: ${whyNoExamples(result, params.policy)}.`);
    await writer.query('COMMIT');
    progress(result.labeledTurns, result.labeledTurns);
    return result;
  } catch (e) {
    await writer.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

function whyNoExamples(pass: FreezeTally, policy: LabelPolicy): string {
  if (pass.labeledTurns === 0) return 'the selection has no labeled turns';
  const chosen = pass.tallies.find((t) => t.policy === formatPolicy(policy))!;
  const reasons = [
    pass.opening ? `${pass.opening} ${pass.opening === 1 ? 'is an opening message (not a decision)' : 'are opening messages (not decisions)'}` : '',
    pass.withoutCandidate ? `${pass.withoutCandidate} had no candidate message before them` : '',
    ...Object.entries(chosen.excluded)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${n} excluded by the ${chosen.policy} policy (${EXCLUSION_REASONS[r as ExclusionReason]})`),
  ].filter(Boolean);
  return `all ${pass.labeledTurns} labeled turns were left out: ${reasons.join('; ')}`;
}
