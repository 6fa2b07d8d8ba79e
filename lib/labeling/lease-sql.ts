// The SQL the work queue decides with, in one place: whether a conversation still needs a
// reviewer, and how many of its "reviewers per turn" slots others already fill. The claim
// (./queue.ts) filters candidates with them and, after locking one, checks again with them
// (./lease.ts); so the list of candidates and the final check can never disagree.
import { Prisma } from '../generated/prisma/client';

/**
 * True while conversation `c` has a decision turn (a recruiter message after the first
 * message) that the reviewer has neither labeled nor skipped and that has fewer than `perTurn` labels. The
 * counters (min_turn_labels, the reviewer's labeled_turns) rule most conversations out before
 * the per-turn check looks at messages. Written as scalar subqueries, not EXISTS: PostgreSQL
 * would turn an EXISTS into a join over every message and sort the whole table, where a
 * per-row check lets the claim walk the list order's index and stop at the first match.
 */
export function needsReviewerSql(reviewerId: string, perTurn: number): Prisma.Sql {
  return Prisma.sql`(
    c.recruiter_turns > 0 AND NOT c.is_golden AND c.min_turn_labels < ${perTurn}
    AND coalesce((SELECT r.labeled_turns FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${reviewerId}), 0) < c.recruiter_turns
    AND (
      SELECT count(*) FROM (
        SELECT 1 FROM messages m
        WHERE m.conversation_id = c.id AND m.sender = 'recruiter' AND m.position > 0
          AND (SELECT count(*) FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = ${reviewerId}) = 0
          AND (SELECT count(*) FROM labels l WHERE l.message_id = m.id) < ${perTurn}
          -- A turn the reviewer skipped is left for others (lib/labeling/turn-actions.ts).
          AND (SELECT count(*) FROM turn_skips s WHERE s.message_id = m.id AND s.reviewer_id = ${reviewerId}) = 0
        LIMIT 1
      ) open_turn
    ) > 0
  )`;
}

/**
 * How many of conversation `c`'s slots other reviewers fill: those holding a live lease and
 * those who have labeled every decision turn (they have done their share of the overlap).
 */
export function slotsTakenByOthersSql(reviewerId: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT count(*)::int FROM (
      SELECT ll.reviewer_id FROM labeling_leases ll
      WHERE ll.conversation_id = c.id AND ll.expires_at > now() AND ll.reviewer_id <> ${reviewerId}
      UNION
      SELECT cr.reviewer_id FROM conversation_reviewers cr
      WHERE cr.conversation_id = c.id AND cr.labeled_turns >= c.recruiter_turns AND cr.reviewer_id <> ${reviewerId}
    ) taken
  )`;
}
