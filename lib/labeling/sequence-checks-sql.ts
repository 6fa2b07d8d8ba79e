// The sequence checks of ./sequence-checks.ts in SQL, over many conversations at once: which
// turns have a problem, and the per-conversation counter the list's "Sequence problems"
// filter reads. Same rules, same words (read the comment at the top of sequence-checks.ts);
// sequence-checks.test.ts checks that both flag the same turns.
//
// Window functions instead of correlated EXISTS, so one statement over 10,000 conversations
// (an import's batch) stays one pass over their messages and labels:
//   cand_seg  candidate messages up to and including this one (equal = one candidate segment)
//   run_seg   breaks up to and including this one, a break being a candidate message, the
//             first message, an unknown time, or a pause of SILENCE (equal = identical context)
import { SILENCE_MS } from './sequence-checks';

/** $1: int[] of conversation ids. Rows (conversation_id, message_id) of every turn with a problem. */
export const SEQUENCE_PROBLEM_TURNS_SQL = `
  WITH ordered AS (
    SELECT m.id, m.conversation_id, m.position, m.sender,
           lag(m.sender) OVER w AS prev_sender,
           CASE WHEN m.sender = 'candidate' OR lag(m.id) OVER w IS NULL OR m.sent_at IS NULL OR lag(m.sent_at) OVER w IS NULL
                     OR m.sent_at - lag(m.sent_at) OVER w >= interval '${SILENCE_MS} milliseconds' THEN 1 ELSE 0 END AS run_break
    FROM messages m WHERE m.conversation_id = ANY($1::int[])
    WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.position)
  ), lab AS (
    -- By conversation (an index), never a join over the whole labels table.
    SELECT l.message_id, l.reviewer_id, l.value FROM labels l WHERE l.conversation_id = ANY($1::int[])
  ), segs AS (
    SELECT o.*, sum(CASE WHEN o.sender = 'candidate' THEN 1 ELSE 0 END) OVER w AS cand_seg, sum(o.run_break) OVER w AS run_seg
    FROM ordered o WINDOW w AS (PARTITION BY o.conversation_id ORDER BY o.position)
  ), turns AS (
    SELECT s.id, s.conversation_id, s.position, s.cand_seg, s.prev_sender,
           count(l.value) > 0 AS labeled, coalesce(bool_or(l.value = 'END'), false) AS has_end, coalesce(bool_or(l.value = 'SCHEDULE'), false) AS has_schedule
    FROM segs s LEFT JOIN lab l ON l.message_id = s.id
    WHERE s.sender = 'recruiter'
    GROUP BY s.id, s.conversation_id, s.position, s.cand_seg, s.prev_sender
  ), turn_rules AS (
    SELECT t.*,
           coalesce(bool_or(t.has_end) OVER (PARTITION BY t.conversation_id, t.cand_seg ORDER BY t.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS end_before,
           lag(t.has_schedule) OVER (PARTITION BY t.conversation_id ORDER BY t.position) AS prev_turn_schedule
    FROM turns t
  ), own AS (
    SELECT s.conversation_id, l.message_id, l.value::text AS v,
           min(l.value::text) OVER r AS lo, max(l.value::text) OVER r AS hi
    FROM lab l JOIN segs s ON s.id = l.message_id AND s.sender = 'recruiter'
    WINDOW r AS (PARTITION BY s.conversation_id, s.run_seg, l.reviewer_id ORDER BY s.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  )
  SELECT conversation_id, id AS message_id FROM turn_rules
   WHERE (labeled AND end_before) OR (has_end AND prev_sender = 'recruiter' AND prev_turn_schedule)
  UNION
  SELECT conversation_id, message_id FROM own WHERE lo IS NOT NULL AND (lo <> v OR hi <> v)`;

/** $1: int[] of conversation ids. Recomputes conversations.sequence_problem_turns (the caller holds their locks). */
export const REFRESH_SEQUENCE_PROBLEMS_SQL = `
  UPDATE conversations c SET sequence_problem_turns = n.turns
  FROM (
    SELECT ids.id, coalesce(p.turns, 0) AS turns
    FROM unnest($1::int[]) AS ids(id)
    LEFT JOIN (SELECT conversation_id, count(*)::int AS turns FROM (${SEQUENCE_PROBLEM_TURNS_SQL}) x GROUP BY conversation_id) p ON p.conversation_id = ids.id
  ) n
  WHERE c.id = n.id AND c.sequence_problem_turns <> n.turns`;
