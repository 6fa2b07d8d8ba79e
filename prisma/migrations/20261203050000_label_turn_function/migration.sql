-- The label write in one round trip (lib/labeling/label-turn.ts). As an interactive
-- transaction it took ten: BEGIN, the lock, the read after it, the write, five counter
-- statements, COMMIT, each a few ms on a loaded machine. One function call does the same
-- steps in the same order, one statement each, so every step after the lock reads a fresh
-- snapshot (READ COMMITTED, a VOLATILE function) exactly as the separate statements did.
-- The counter statements are passed in (p_refresh, each run with $1 = ARRAY[conversation id])
-- because lib/conversations/stats.ts owns them for every writer (the importer too): frozen
-- here they would drift from it. The caller checks roles and input before calling.
-- The wait for the conversation (behind a large re-import, say) ends after 30 s, the bound the
-- interactive transaction had (TURN_WRITE_TRANSACTION), and the page retries: lock_timeout is set
-- for the transaction of this one call only, so nothing outlives it on a pooled connection.
-- Outcomes: ok (changed says whether anything was written), missing (no such message),
-- golden, gone (the message went while we waited for its conversation), candidate.
-- (The body is an E'' string with \073 for the semicolon: the migration runner splits the script at every semicolon.)
CREATE FUNCTION label_turn_write(p_message_id int, p_reviewer_id text, p_value "LabelValue", p_source text, p_refresh text[])
RETURNS TABLE (outcome text, conv_id int, stored_value text, was_changed boolean)
LANGUAGE plpgsql VOLATILE AS E'
DECLARE
  v_conv int\073
  v_golden boolean\073
  v_sender text\073
  v_old "LabelValue"\073
  v_written int\073
  v_sql text\073
BEGIN
  PERFORM set_config(''lock_timeout'', ''30s'', true)\073
  SELECT c.id, c.is_golden INTO v_conv, v_golden FROM conversations c
   WHERE c.id = (SELECT m.conversation_id FROM messages m WHERE m.id = p_message_id) FOR UPDATE\073
  IF v_conv IS NULL THEN RETURN QUERY SELECT ''missing''::text, NULL::int, NULL::text, false\073 RETURN\073 END IF\073
  IF v_golden THEN RETURN QUERY SELECT ''golden''::text, v_conv, NULL::text, false\073 RETURN\073 END IF\073
  SELECT m.sender::text, (SELECT l.value FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = p_reviewer_id)
    INTO v_sender, v_old FROM messages m WHERE m.id = p_message_id\073
  IF v_sender IS NULL THEN RETURN QUERY SELECT ''gone''::text, v_conv, NULL::text, false\073 RETURN\073 END IF\073
  IF v_sender <> ''recruiter'' THEN RETURN QUERY SELECT ''candidate''::text, v_conv, NULL::text, false\073 RETURN\073 END IF\073
  IF v_old IS NOT DISTINCT FROM p_value THEN RETURN QUERY SELECT ''ok''::text, v_conv, v_old::text, false\073 RETURN\073 END IF\073
  IF p_value IS NULL THEN
    WITH gone AS (DELETE FROM labels l WHERE l.message_id = p_message_id AND l.reviewer_id = p_reviewer_id RETURNING l.value)
    INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source, change_seq, created_at)
    SELECT p_message_id, v_conv, p_reviewer_id, gone.value, NULL, p_source, nextval(''turn_change_seq''), clock_timestamp() FROM gone\073
  ELSE
    WITH put AS (
      INSERT INTO labels AS l (message_id, conversation_id, reviewer_id, value, updated_at)
      VALUES (p_message_id, v_conv, p_reviewer_id, p_value, now())
      ON CONFLICT (message_id, reviewer_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
        WHERE l.value IS DISTINCT FROM EXCLUDED.value
      RETURNING 1
    )
    INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source, change_seq, created_at)
    SELECT p_message_id, v_conv, p_reviewer_id, v_old, p_value, p_source, nextval(''turn_change_seq''), clock_timestamp() FROM put\073
  END IF\073
  GET DIAGNOSTICS v_written = ROW_COUNT\073
  IF v_written = 0 THEN RETURN QUERY SELECT ''ok''::text, v_conv, v_old::text, false\073 RETURN\073 END IF\073
  FOREACH v_sql IN ARRAY p_refresh LOOP
    EXECUTE v_sql USING ARRAY[v_conv]\073
  END LOOP\073
  RETURN QUERY SELECT ''ok''::text, v_conv, p_value::text, true\073
END'
