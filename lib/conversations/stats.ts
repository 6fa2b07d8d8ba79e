// Conversation-level counters and the full-text document are derived data. They are
// recomputed from messages and labels (never incremented blindly), so any writer — the
// label write path, the importer — converges to the truth by calling these.
import type { Prisma, PrismaClient } from '../generated/prisma/client';

type Sql = PrismaClient | Prisma.TransactionClient;

/** Recomputes turn/label counters and per-reviewer progress for the given conversations. */
export async function refreshConversationStats(tx: Sql, conversationIds: number[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE conversations c SET
      recruiter_turns = s.recruiter_turns,
      labeled_turns   = s.labeled_turns,
      end_turns       = s.end_turns,
      schedule_turns  = s.schedule_turns,
      reviewer_count  = s.reviewer_count
    FROM (
      SELECT ids.id,
        (SELECT count(*) FROM messages m WHERE m.conversation_id = ids.id AND m.sender = 'recruiter') AS recruiter_turns,
        (SELECT count(DISTINCT l.message_id) FROM labels l WHERE l.conversation_id = ids.id) AS labeled_turns,
        (SELECT count(DISTINCT l.message_id) FROM labels l WHERE l.conversation_id = ids.id AND l.value = 'END') AS end_turns,
        (SELECT count(DISTINCT l.message_id) FROM labels l WHERE l.conversation_id = ids.id AND l.value = 'SCHEDULE') AS schedule_turns,
        (SELECT count(DISTINCT l.reviewer_id) FROM labels l WHERE l.conversation_id = ids.id) AS reviewer_count
      FROM unnest(${conversationIds}::int[]) AS ids(id)
    ) s
    WHERE c.id = s.id`;
  await tx.$executeRaw`DELETE FROM conversation_reviewers WHERE conversation_id = ANY(${conversationIds}::int[])`;
  await tx.$executeRaw`
    INSERT INTO conversation_reviewers (conversation_id, reviewer_id, labeled_turns, last_labeled_at)
    SELECT conversation_id, reviewer_id, count(*), max(updated_at)
    FROM labels WHERE conversation_id = ANY(${conversationIds}::int[])
    GROUP BY conversation_id, reviewer_id`;
}

/** Rebuilds the search document and last-activity time after messages changed. */
export async function refreshConversationContent(tx: Sql, conversationIds: number[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE conversations c SET
      search =
        setweight(to_tsvector('english', coalesce(c.candidate_name, '') || ' ' || coalesce(c.job_title, '')), 'A') ||
        to_tsvector('english', coalesce(agg.body, '')),
      last_activity_at = coalesce(agg.last_sent, c.last_activity_at)
    FROM (
      SELECT ids.id,
        (SELECT string_agg(m.text, ' ' ORDER BY m.position) FROM messages m WHERE m.conversation_id = ids.id) AS body,
        (SELECT max(m.sent_at) FROM messages m WHERE m.conversation_id = ids.id) AS last_sent
      FROM unnest(${conversationIds}::int[]) AS ids(id)
    ) agg
    WHERE c.id = agg.id`;
}
