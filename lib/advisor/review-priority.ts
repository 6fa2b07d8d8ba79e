// Which conversations reviewers should look at first: live turns the advisor was unsure of
// (it deferred: confidence below the threshold, or it fell back) and live turns where a
// reviewer disagrees with a decision the chatbot acted on. Those are the labels that tell
// whether the advisor is safe in production. This predicate is the ONE definition: the
// conversations list filter ("Advisor: deferred or disputed") and the work queue's ordering
// (lib/labeling/queue.ts) both use it.
import { Prisma } from '../generated/prisma/client';

/** Decision `d` is about stored decision turn `m` and asks for a look: deferred, or acted on and a label disagrees. */
const DECISION_NEEDS_LOOK = Prisma.sql`m.sender = 'recruiter' AND m.position > 0
      AND (NOT d.acted OR EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id AND l.value IS DISTINCT FROM d.decision))`;

/**
 * SQL true for a conversation (`alias`.id) with such a turn. Only decisions about a stored
 * recruiter turn count (a decision about a message not sent yet has nothing to label), and
 * never the opening message. Written as `id = ANY(ARRAY(…))`: the set is worked out once from
 * the decision log (small next to the conversations), then its conversations are fetched by
 * primary key. As `id IN (…)` PostgreSQL walked the list order and probed the log once per
 * conversation: at 1M conversations the filter's count walked half the table (1.3 s).
 */
export function reviewPrioritySql(alias = 'c'): Prisma.Sql {
  const c = Prisma.raw(alias);
  return Prisma.sql`${c}.id = ANY(ARRAY(
    SELECT d.conversation_id FROM advisor_decisions d
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position
    WHERE d.conversation_id IS NOT NULL AND ${DECISION_NEEDS_LOOK}
  ))`;
}

/**
 * The same test for the one conversation `alias` (its decisions found by conversation_id):
 * for a query that walks a few candidates in order and stops at the first that passes.
 */
export function reviewPriorityOfSql(alias = 'c'): Prisma.Sql {
  const c = Prisma.raw(alias);
  return Prisma.sql`EXISTS (
    SELECT 1 FROM advisor_decisions d
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position
    WHERE d.conversation_id = ${c}.id AND ${DECISION_NEEDS_LOOK})`;
}

/**
 * A superset of reviewPrioritySql's conversations, from the decision log alone where it can:
 * a deferred decision counts without looking its turn up in messages (one random read of
 * the messages table per decision — at 1M conversations most of the work queue's claim), a
 * disputed one still needs its turn's labels. For the work queue, which sorts these, then
 * walks them in order with reviewPriorityOfSql and stops at the first that passes.
 */
export function reviewPriorityCandidatesSql(alias = 'c'): Prisma.Sql {
  const c = Prisma.raw(alias);
  return Prisma.sql`${c}.id = ANY(ARRAY(
    SELECT d.conversation_id FROM advisor_decisions d
    WHERE d.conversation_id IS NOT NULL AND d.position > 0
      AND (NOT d.acted OR EXISTS (
        SELECT 1 FROM messages m JOIN labels l ON l.message_id = m.id
        WHERE m.conversation_id = d.conversation_id AND m.position = d.position AND l.value IS DISTINCT FROM d.decision))
  ))`;
}
