// Per-reviewer pace and quality for the agreement page, one SQL statement per page of
// reviewers. Definitions (shown on the page too):
// - labeled today / this week: distinct turns the reviewer set a label on (history rows with a
//   value, not imports or adjudications) since midnight / since Monday 00:00, database time.
// - median seconds per turn: the median gap between one reviewer's consecutive label changes
//   over the last PACE_WINDOW_DAYS days; a gap over PAUSE_CAP_SECONDS is a break (a new
//   session), not labeling time, and is left out.
// - agreement with the adjudicated label: of the reviewer's current labels on adjudicated
//   turns, the share equal to the final label.
import { db } from '../db';
import type { Actor } from '../auth/session';
import { canSeeTeamAgreement } from './access';
import { IMPORT_SOURCE_SQL } from './scope';

export const PAUSE_CAP_SECONDS = 300;
export const PACE_WINDOW_DAYS = 30;
export const REVIEWER_STATS_PAGE_SIZE = 50;

/** History sources that are not a reviewer working through turns. */
const NOT_WORK = `('import', 'adjudication')`;

export interface ReviewerStatsRow {
  id: string;
  email: string;
  name: string;
  today: number;
  week: number;
  medianSeconds: number | null;
  /** Gaps the median is taken over. */
  paceSamples: number;
  adjudicatedTurns: number;
  agreeWithAdjudicated: number;
  /** agreeWithAdjudicated / adjudicatedTurns, null without adjudicated turns. */
  adjudicatedAgreement: number | null;
}

const STATS_SQL = `
  WITH people AS (
    SELECT u.id, u.email, u.name FROM users u
    WHERE NOT ${IMPORT_SOURCE_SQL}
      AND ($1::text IS NULL OR u.id = $1)
      AND ($2::text IS NULL OR u.email > $2)
      AND (u.id = $1
           OR EXISTS (SELECT 1 FROM labels l WHERE l.reviewer_id = u.id)
           OR EXISTS (SELECT 1 FROM label_events e WHERE e.reviewer_id = u.id AND e.source NOT IN ${NOT_WORK}))
    ORDER BY u.email
    LIMIT $3
  ),
  work AS MATERIALIZED (
    SELECT e.reviewer_id, e.message_id, e.created_at, e.to_value,
           extract(epoch FROM e.created_at - lag(e.created_at) OVER (PARTITION BY e.reviewer_id ORDER BY e.created_at, e.id))::float8 AS gap
    FROM label_events e JOIN people p ON p.id = e.reviewer_id
    WHERE e.created_at >= now() - make_interval(days => $4) AND e.source NOT IN ${NOT_WORK}
  )
  SELECT p.id, p.email, p.name,
    (SELECT count(DISTINCT w.message_id) FROM work w WHERE w.reviewer_id = p.id AND w.to_value IS NOT NULL AND w.created_at >= date_trunc('day', now()))::int AS today,
    (SELECT count(DISTINCT w.message_id) FROM work w WHERE w.reviewer_id = p.id AND w.to_value IS NOT NULL AND w.created_at >= date_trunc('week', now()))::int AS week,
    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY w.gap) FROM work w WHERE w.reviewer_id = p.id AND w.gap <= $5)::float8 AS median_seconds,
    (SELECT count(*) FROM work w WHERE w.reviewer_id = p.id AND w.gap <= $5)::int AS pace_samples,
    (SELECT count(*) FROM labels l JOIN adjudications a ON a.message_id = l.message_id WHERE l.reviewer_id = p.id)::int AS adjudicated_turns,
    (SELECT count(*) FROM labels l JOIN adjudications a ON a.message_id = l.message_id WHERE l.reviewer_id = p.id AND l.value = a.value)::int AS agree
  FROM people p
  ORDER BY p.email`;

/**
 * One page of reviewers (keyset by email). An ML lead or admin sees every person who labeled;
 * anyone else sees only their own row, whatever they ask for.
 */
export async function reviewerStats(actor: Actor, opts: { after?: string } = {}): Promise<{ rows: ReviewerStatsRow[]; nextAfter: string | null }> {
  const onlyMe = canSeeTeamAgreement(actor) ? null : actor.id;
  const raw = await db().$queryRawUnsafe<
    {
      id: string;
      email: string;
      name: string;
      today: number;
      week: number;
      median_seconds: number | null;
      pace_samples: number;
      adjudicated_turns: number;
      agree: number;
    }[]
  >(STATS_SQL, onlyMe, onlyMe ? null : (opts.after ?? null), REVIEWER_STATS_PAGE_SIZE + 1, PACE_WINDOW_DAYS, PAUSE_CAP_SECONDS);
  const rows = raw.slice(0, REVIEWER_STATS_PAGE_SIZE).map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    today: r.today,
    week: r.week,
    medianSeconds: r.median_seconds,
    paceSamples: r.pace_samples,
    adjudicatedTurns: r.adjudicated_turns,
    agreeWithAdjudicated: r.agree,
    adjudicatedAgreement: r.adjudicated_turns ? r.agree / r.adjudicated_turns : null,
  }));
  return { rows, nextAfter: raw.length > REVIEWER_STATS_PAGE_SIZE ? rows[rows.length - 1].email : null };
}
