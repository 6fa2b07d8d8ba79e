-- The work queue's claim in one statement (lib/labeling/queue.ts, lease.ts, lease-sql.ts).
-- A claim was a transaction of four round trips (BEGIN, lock a candidate, check again and write
-- the lease, COMMIT): the check again must run in a NEW statement, whose snapshot sees every
-- lease committed before the row lock was granted. A VOLATILE function takes a fresh snapshot
-- for each statement it runs, so the claim now locks its candidate and calls
-- work_queue_take() in the same statement, committed on its own.
-- The two tests the queue decides with live here, once: the candidate filter (in the claim
-- statement) and the check after the lock (in work_queue_take) call the same functions.
-- (Function bodies are E'' strings with \073 for the semicolon: the migration runner splits the script at every semicolon.)

-- True while the conversation has a decision turn (a recruiter message after the opening one)
-- that the reviewer has neither labeled nor skipped and that has fewer than p_per_turn labels.
-- The counters (min_turn_labels, the reviewer's labeled_turns) rule most conversations out
-- before the per-turn look at messages. STABLE: it reads with the snapshot of the statement
-- that calls it.
CREATE FUNCTION work_queue_needs_reviewer(p_conversation_id INTEGER, p_recruiter_turns INTEGER, p_is_golden BOOLEAN, p_min_turn_labels INTEGER, p_reviewer TEXT, p_per_turn INTEGER)
RETURNS BOOLEAN LANGUAGE sql STABLE PARALLEL SAFE AS E'
  SELECT p_recruiter_turns > 0 AND NOT p_is_golden AND p_min_turn_labels < p_per_turn
    AND coalesce((SELECT r.labeled_turns FROM conversation_reviewers r WHERE r.conversation_id = p_conversation_id AND r.reviewer_id = p_reviewer), 0) < p_recruiter_turns
    AND EXISTS (
      SELECT 1 FROM messages m
      WHERE m.conversation_id = p_conversation_id AND m.sender = ''recruiter'' AND m.position > 0
        AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = p_reviewer)
        AND (SELECT count(*) FROM labels l WHERE l.message_id = m.id) < p_per_turn
        AND NOT EXISTS (SELECT 1 FROM turn_skips s WHERE s.message_id = m.id AND s.reviewer_id = p_reviewer)
    )';

-- How many of the conversation's slots other reviewers fill: those holding a live lease and
-- those who labeled every decision turn (they have done their share of the overlap).
CREATE FUNCTION work_queue_slots_taken(p_conversation_id INTEGER, p_recruiter_turns INTEGER, p_reviewer TEXT)
RETURNS INTEGER LANGUAGE sql STABLE PARALLEL SAFE AS E'
  SELECT count(*)::int FROM (
    SELECT ll.reviewer_id FROM labeling_leases ll
    WHERE ll.conversation_id = p_conversation_id AND ll.expires_at > now() AND ll.reviewer_id <> p_reviewer
    UNION
    SELECT cr.reviewer_id FROM conversation_reviewers cr
    WHERE cr.conversation_id = p_conversation_id AND cr.labeled_turns >= p_recruiter_turns AND cr.reviewer_id <> p_reviewer
  ) taken';

-- Called on a conversation row the caller has locked FOR NO KEY UPDATE (earlier in the same
-- statement, or in an earlier statement of its transaction): takes or renews the reviewer's
-- lease when the conversation still needs them and a slot is free, and with p_release_others
-- drops the reviewer's other leases. Every statement in here has a fresh snapshot, taken after
-- the lock was granted, so a lease another claimer committed before releasing that lock is
-- seen. Two claimers of one conversation are thereby serialised and the second sees the first.
-- A lease is coordination, not data (after a crash every open page takes its lease again
-- within a heartbeat), so the transaction commits asynchronously (transaction-scoped setting).
CREATE FUNCTION work_queue_take(p_conversation_id INTEGER, p_reviewer TEXT, p_per_turn INTEGER, p_ttl_seconds INTEGER, p_release_others BOOLEAN)
RETURNS TABLE (needs BOOLEAN, taken INTEGER, expires_at TIMESTAMPTZ) LANGUAGE plpgsql VOLATILE AS E'
DECLARE
  v_needs BOOLEAN\073
  v_taken INTEGER\073
  v_expires TIMESTAMPTZ\073
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  SELECT work_queue_needs_reviewer(c.id, c.recruiter_turns, c.is_golden, c.min_turn_labels, p_reviewer, p_per_turn),
         work_queue_slots_taken(c.id, c.recruiter_turns, p_reviewer)
    INTO v_needs, v_taken FROM conversations c WHERE c.id = p_conversation_id\073
  IF NOT FOUND THEN
    RETURN QUERY SELECT false, 0, NULL::timestamptz\073
    RETURN\073
  END IF\073
  IF v_needs AND v_taken < p_per_turn THEN
    INSERT INTO labeling_leases AS ll (conversation_id, reviewer_id, claimed_at, expires_at)
    VALUES (p_conversation_id, p_reviewer, now(), now() + make_interval(secs => p_ttl_seconds))
    ON CONFLICT (conversation_id, reviewer_id) DO UPDATE
      SET expires_at = EXCLUDED.expires_at,
          claimed_at = CASE WHEN ll.expires_at <= now() THEN now() ELSE ll.claimed_at END
    RETURNING ll.expires_at INTO v_expires\073
    IF p_release_others THEN
      DELETE FROM labeling_leases WHERE reviewer_id = p_reviewer AND conversation_id <> p_conversation_id\073
    END IF\073
  END IF\073
  RETURN QUERY SELECT v_needs, v_taken, v_expires\073
END';

-- The planner runs a row's cheaper tests first: the slot count (two index probes) rejects a
-- conversation others hold before the per-turn look at messages and labels does.
ALTER FUNCTION work_queue_needs_reviewer(INTEGER, INTEGER, BOOLEAN, INTEGER, TEXT, INTEGER) COST 400;
ALTER FUNCTION work_queue_slots_taken(INTEGER, INTEGER, TEXT) COST 100;
