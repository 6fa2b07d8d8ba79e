// The SQL the work queue decides with, in one place: whether a conversation still needs a
// reviewer, and how many of its "reviewers per turn" slots others already fill. Both are
// database functions (migration work_queue_claim_functions) because the check after a
// candidate's row lock runs inside work_queue_take(), in the claim's own statement: the claim
// (./queue.ts) filters candidates with the same functions, so the list of candidates and the
// final check can never disagree.
import { Prisma } from '../generated/prisma/client';

/**
 * True while conversation `alias` has a decision turn (a recruiter message after the first
 * message) that the reviewer has neither labeled nor skipped and that has fewer than `perTurn`
 * labels. Evaluated per row (a function call the planner cannot turn into a join over every
 * message), so a claim walks the list order's index and stops at the first match.
 */
export function needsReviewerSql(reviewerId: string, perTurn: number, alias = 'c'): Prisma.Sql {
  const c = Prisma.raw(alias);
  return Prisma.sql`work_queue_needs_reviewer(${c}.id, ${c}.recruiter_turns, ${c}.is_golden, ${c}.min_turn_labels, ${reviewerId}::text, ${perTurn}::int)`;
}

/**
 * How many of conversation `alias`'s slots other reviewers fill: those holding a live lease
 * and those who have labeled every decision turn (they have done their share of the overlap).
 */
export function slotsTakenByOthersSql(reviewerId: string, alias = 'c'): Prisma.Sql {
  const c = Prisma.raw(alias);
  return Prisma.sql`work_queue_slots_taken(${c}.id, ${c}.recruiter_turns, ${reviewerId}::text)`;
}

/**
 * Conversations whose every slot others hold with a live lease, as one array read once from
 * the (small: a lease per active reviewer) lease table. With 20 reviewers at the head of the
 * same order, every claim walks past the 19 conversations the others hold: tested against this
 * array each costs a comparison instead of a slot count (work_queue_slots_taken), which still
 * runs for the rows left, and decides.
 */
export function fullyHeldByOthersSql(reviewerId: string, perTurn: number): Prisma.Sql {
  return Prisma.sql`ARRAY(
    SELECT ll.conversation_id FROM labeling_leases ll
    WHERE ll.expires_at > now() AND ll.reviewer_id <> ${reviewerId}
    GROUP BY ll.conversation_id HAVING count(*) >= ${perTurn})`;
}
