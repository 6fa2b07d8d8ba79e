// Which conversations reviewers should look at first: live turns the advisor was unsure of
// (it deferred: confidence below the threshold, or it fell back) and live turns where a
// reviewer disagrees with a decision the chatbot acted on. Those are the labels that tell
// whether the advisor is safe in production. This predicate is the ONE definition: the
// conversations list filter ("Advisor: deferred or disputed") and the work queue's ordering
// (lib/labeling/queue.ts) both use it.
import { Prisma } from '../generated/prisma/client';

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
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position AND m.sender = 'recruiter' AND m.position > 0
    WHERE d.conversation_id IS NOT NULL
      AND (NOT d.acted OR EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id AND l.value IS DISTINCT FROM d.decision))
  ))`;
}
