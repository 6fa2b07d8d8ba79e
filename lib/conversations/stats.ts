// Conversation-level counters and the full-text document are derived data. They are
// recomputed from messages and labels (never incremented blindly), so any writer — the
// label write path (Prisma), the importer (a raw pg connection) — converges to the truth.
// The SQL lives here once; callers pass whichever connection they hold. Callers hold the
// row locks of these conversations already (lib/labeling/lock-order.ts): these statements
// write conversations and conversation_reviewers, so running them unlocked could deadlock.
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { searchDocumentSql } from './search-query';
import { REFRESH_MIN_SUGGESTION_CONFIDENCE } from '../suggestions/suggester-sql';
import { REFRESH_SEQUENCE_PROBLEMS_SQL } from '../labeling/sequence-checks-sql';

/** Runs one SQL statement whose only parameter, $1, is an int[] of conversation ids. */
export type IdsStatementRunner = (sql: string, ids: number[]) => Promise<unknown>;

export function prismaRunner(tx: PrismaClient | Prisma.TransactionClient): IdsStatementRunner {
  return (sql, ids) => tx.$executeRawUnsafe(sql, ids);
}

export function pgRunner(client: { query: (sql: string, params: unknown[]) => Promise<unknown> }): IdsStatementRunner {
  return (sql, ids) => client.query(sql, [ids]);
}

// Counters are over decision turns: recruiter messages after the first message. The opening
// text has nothing before it, is never a training example, and is not waiting for anyone's label.
const REFRESH_COUNTERS = `
  UPDATE conversations c SET
    recruiter_turns = s.recruiter_turns,
    labeled_turns   = s.labeled_turns,
    end_turns       = s.end_turns,
    schedule_turns  = s.schedule_turns,
    reviewer_count  = s.reviewer_count,
    min_turn_labels = s.min_turn_labels
  FROM (
    SELECT ids.id,
      (SELECT count(*) FROM messages m WHERE m.conversation_id = ids.id AND m.sender = 'recruiter' AND m.position > 0) AS recruiter_turns,
      (SELECT count(DISTINCT l.message_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = ids.id AND m.position > 0) AS labeled_turns,
      (SELECT count(DISTINCT l.message_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = ids.id AND m.position > 0 AND l.value = 'END') AS end_turns,
      (SELECT count(DISTINCT l.message_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = ids.id AND m.position > 0 AND l.value = 'SCHEDULE') AS schedule_turns,
      (SELECT count(DISTINCT l.reviewer_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = ids.id AND m.position > 0) AS reviewer_count,
      (SELECT coalesce(min(t.n), 0) FROM (
         SELECT (SELECT count(*) FROM labels l WHERE l.message_id = m.id) AS n
         FROM messages m WHERE m.conversation_id = ids.id AND m.sender = 'recruiter' AND m.position > 0) t) AS min_turn_labels
    FROM unnest($1::int[]) AS ids(id)
  ) s
  WHERE c.id = s.id
    AND (c.recruiter_turns, c.labeled_turns, c.end_turns, c.schedule_turns, c.reviewer_count, c.min_turn_labels)
        IS DISTINCT FROM (s.recruiter_turns, s.labeled_turns, s.end_turns, s.schedule_turns, s.reviewer_count, s.min_turn_labels)`;

const CLEAR_REVIEWER_PROGRESS = `DELETE FROM conversation_reviewers WHERE conversation_id = ANY($1::int[])`;

const INSERT_REVIEWER_PROGRESS = `
  INSERT INTO conversation_reviewers (conversation_id, reviewer_id, labeled_turns, last_labeled_at)
  SELECT l.conversation_id, l.reviewer_id, count(*), max(l.updated_at)
  FROM labels l JOIN messages m ON m.id = l.message_id
  WHERE l.conversation_id = ANY($1::int[]) AND m.position > 0
  GROUP BY l.conversation_id, l.reviewer_id`;

const REFRESH_CONTENT = `
  UPDATE conversations c SET
    search = ${searchDocumentSql('c.candidate_name', 'c.job_title', 'agg.body')},
    last_activity_at = coalesce(agg.last_sent, c.last_activity_at)
  FROM (
    SELECT m.conversation_id AS id, string_agg(m.text, ' ' ORDER BY m.position) AS body, max(m.sent_at) AS last_sent
    FROM messages m WHERE m.conversation_id = ANY($1::int[])
    GROUP BY m.conversation_id
  ) agg
  WHERE c.id = agg.id`;

/**
 * The statements that recompute turn/label counters and per-reviewer progress, in the order
 * they run; each takes $1 = int[] of conversation ids. Exported so the label write's one SQL
 * call (label_turn_write, lib/labeling/label-turn.ts) runs exactly these, never a copy.
 */
export const STATS_REFRESH_STATEMENTS: readonly string[] = [
  REFRESH_COUNTERS,
  CLEAR_REVIEWER_PROGRESS,
  INSERT_REVIEWER_PROGRESS,
  // A labeled turn no longer counts towards the "least confident first" order (lib/suggestions).
  REFRESH_MIN_SUGGESTION_CONFIDENCE,
  // Sequence problems depend on labels only, so every label writer keeps them here too.
  REFRESH_SEQUENCE_PROBLEMS_SQL,
];

/** Recomputes turn/label counters and per-reviewer progress for the given conversations. */
export async function refreshConversationStats(run: IdsStatementRunner | PrismaClient | Prisma.TransactionClient, conversationIds: number[]) {
  if (conversationIds.length === 0) return;
  const exec = typeof run === 'function' ? run : prismaRunner(run);
  for (const sql of STATS_REFRESH_STATEMENTS) await exec(sql, conversationIds);
}

/** Rebuilds the search document and last-activity time after messages changed. */
export async function refreshConversationContent(run: IdsStatementRunner | PrismaClient | Prisma.TransactionClient, conversationIds: number[]) {
  if (conversationIds.length === 0) return;
  const exec = typeof run === 'function' ? run : prismaRunner(run);
  await exec(REFRESH_CONTENT, conversationIds);
}
