-- Conversation counters and per-reviewer progress count decision turns only: recruiter
-- messages after the first message (the opening text is never a decision). Recomputed once
-- here, and lib/conversations/stats.ts and the importer keep them so from now on.
UPDATE conversations c SET
  recruiter_turns = s.recruiter_turns,
  labeled_turns   = s.labeled_turns,
  end_turns       = s.end_turns,
  schedule_turns  = s.schedule_turns,
  reviewer_count  = s.reviewer_count
FROM (
  SELECT c2.id,
    (SELECT count(*) FROM messages m WHERE m.conversation_id = c2.id AND m.sender = 'recruiter' AND m.position > 0) AS recruiter_turns,
    (SELECT count(DISTINCT l.message_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = c2.id AND m.position > 0) AS labeled_turns,
    (SELECT count(DISTINCT l.message_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = c2.id AND m.position > 0 AND l.value = 'END') AS end_turns,
    (SELECT count(DISTINCT l.message_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = c2.id AND m.position > 0 AND l.value = 'SCHEDULE') AS schedule_turns,
    (SELECT count(DISTINCT l.reviewer_id) FROM labels l JOIN messages m ON m.id = l.message_id WHERE l.conversation_id = c2.id AND m.position > 0) AS reviewer_count
  FROM conversations c2
) s
WHERE c.id = s.id
  AND (c.recruiter_turns, c.labeled_turns, c.end_turns, c.schedule_turns, c.reviewer_count)
      IS DISTINCT FROM (s.recruiter_turns, s.labeled_turns, s.end_turns, s.schedule_turns, s.reviewer_count);

DELETE FROM conversation_reviewers;
INSERT INTO conversation_reviewers (conversation_id, reviewer_id, labeled_turns, last_labeled_at)
  SELECT l.conversation_id, l.reviewer_id, count(*), max(l.updated_at)
  FROM labels l JOIN messages m ON m.id = l.message_id
  WHERE m.position > 0
  GROUP BY l.conversation_id, l.reviewer_id;
