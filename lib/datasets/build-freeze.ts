// Build step 1, the freeze: every labeled turn of the selection, its labels resolved under the
// version's policy (and tallied under the others), copied into dataset_build_turns.
//
// Label snapshot: the freeze reads through one REPEATABLE READ, READ ONLY transaction, so the
// labels a version holds are the labels as they stood at one instant, however long the freeze
// takes and whoever labels meanwhile. It writes nothing in that transaction (it takes no locks
// and never blocks a reviewer); the resolved turns go out through a second connection in
// chunks of their own. Once the turns are frozen, later steps never read `labels` again. An
// interrupted freeze starts over (its partial rows are deleted first) in a new snapshot, so a
// version is never a mix of two: the freeze is the only step that is not resumed mid-way,
// and it is the short one (a single streamed read).
import type pg from 'pg';
import type { LabelValueName } from '../labeling/label-values';
import { copyRow } from '../imports/copy-text';
import { copyLines, cursorRows } from './build-sql';
import { DatasetBuildError } from './errors';
import {
  emptyDecidedBy,
  emptyTally,
  EXCLUSION_REASONS,
  resolveTurnLabel,
  tallyDecidedBy,
  tallyOutcome,
  type DecidedByTally,
  type ExclusionReason,
  type PolicyTally,
  type TurnLabel,
} from './label-policy';
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

const CHUNK = 50_000;

function comparisonPolicies(chosen: LabelPolicy): LabelPolicy[] {
  const k = chosen.kind === 'agree' ? chosen.k : 2;
  // Versions built with the other policies keep exactly the comparison (and manifest) they had.
  return [{ kind: 'latest' }, { kind: 'majority' }, { kind: 'agree', k }, ...(chosen.kind === 'adjudicated' ? [chosen] : [])];
}

export async function freezeLabels(
  reader: pg.Client,
  writer: pg.Client,
  versionId: number,
  params: DatasetParams,
  kind: 'labels' | 'golden',
  progress: (done: number, total: number) => void,
): Promise<FreezeTally> {
  await writer.query('DELETE FROM dataset_build_turns WHERE version_id = $1', [versionId]);
  await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await reader.query(`SET LOCAL work_mem = '128MB'`);
    const where = selectionWhere(params, 1, kind);
    const total = Number(
      (await reader.query<{ n: string }>(`SELECT coalesce(sum(c.labeled_turns), 0) AS n FROM conversations c WHERE ${where.sql}`, where.values)).rows[0].n,
    );
    const policies = comparisonPolicies(params.policy);
    const chosenIndex = policies.findIndex((p) => formatPolicy(p) === formatPolicy(params.policy));
    const adjudicated = params.policy.kind === 'adjudicated';
    const result: FreezeTally = {
      labeledTurns: 0,
      opening: 0,
      withoutCandidate: 0,
      tallies: policies.map((p) => emptyTally(formatPolicy(p))),
      decidedBy: adjudicated ? emptyDecidedBy() : null,
      frozen: 0,
    };
    const rows = cursorRows<{
      conversation_id: number;
      message_id: number;
      position: number;
      after_candidate: boolean;
      vals: LabelValueName[];
      ats: number[];
      revs: string[];
      adjudicated: LabelValueName | null;
    }>(
      reader,
      `SELECT l.conversation_id, l.message_id, m.position,
              EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = l.conversation_id
                      AND p.position < m.position AND p.sender = 'candidate') AS after_candidate,
              array_agg(l.value::text) AS vals,
              array_agg((extract(epoch FROM l.updated_at) * 1000)::float8) AS ats,
              array_agg(l.reviewer_id) AS revs,
              ${adjudicated ? 'a.value::text' : 'NULL::text'} AS adjudicated
       FROM conversations c
       JOIN labels l ON l.conversation_id = c.id
       JOIN messages m ON m.id = l.message_id
       ${adjudicated ? 'LEFT JOIN adjudications a ON a.message_id = l.message_id' : ''}
       WHERE ${where.sql}
       GROUP BY l.conversation_id, l.message_id, m.position${adjudicated ? ', a.value' : ''}`,
      where.values,
    );
    let chunk = '';
    let inChunk = 0;
    const flush = async () => {
      if (inChunk) await copyLines(writer, 'COPY dataset_build_turns (version_id, message_id, conversation_id, label) FROM STDIN', [chunk]);
      chunk = '';
      inChunk = 0;
    };
    for await (const r of rows) {
      result.labeledTurns++;
      if (result.labeledTurns % 5_000 === 0) progress(result.labeledTurns, total);
      // The opening text has no transcript to decide from; every later turn is a decision,
      // nudges into silence and the close after unanswered nudges included.
      if (r.position === 0) {
        result.opening++;
        continue;
      }
      if (!r.after_candidate && !params.includeTurnsWithoutCandidate) {
        result.withoutCandidate++;
        continue;
      }
      const labels: TurnLabel[] = r.vals.map((value, i) => ({ value, at: Number(r.ats[i]), reviewerId: r.revs[i] }));
      policies.forEach((p, i) => {
        const outcome = resolveTurnLabel(labels, p, r.adjudicated);
        tallyOutcome(result.tallies[i], outcome);
        if (i === chosenIndex && result.decidedBy) tallyDecidedBy(result.decidedBy, outcome);
        if (i === chosenIndex && 'label' in outcome) {
          chunk += copyRow([versionId, r.message_id, r.conversation_id, outcome.label]);
          inChunk++;
          result.frozen++;
        }
      });
      if (inChunk >= CHUNK) await flush();
    }
    await flush();
    progress(result.labeledTurns, Math.max(total, result.labeledTurns));
    if (result.frozen === 0) throw new DatasetBuildError(`No examples: ${whyNoExamples(result, params.policy)}.`);
    return result;
  } finally {
    await reader.query('COMMIT').catch(() => {});
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
