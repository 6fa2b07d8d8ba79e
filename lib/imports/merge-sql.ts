// The set-based merge from the staged rows (import_messages) into the real tables. Each
// statement is one pass over the import, so a 1M-message file costs a handful of queries.
// $1 is always the import reviewer's user id where a statement takes a parameter.

export const CREATE_STAGING = `
  CREATE TEMP TABLE import_messages (
    external_id text NOT NULL, conv_ord int NOT NULL, candidate_name text, job_title text,
    position int NOT NULL, sender "Sender" NOT NULL, text text NOT NULL, sent_at timestamp(3), label "LabelValue"
  ) ON COMMIT DROP;
  CREATE TEMP TABLE touched (id int PRIMARY KEY, content boolean NOT NULL DEFAULT false) ON COMMIT DROP;`;

export const COPY_STAGING = `COPY import_messages (external_id, conv_ord, candidate_name, job_title, position, sender, text, sent_at, label) FROM STDIN`;

export const INSERT_NEW_CONVERSATIONS = `
  WITH src AS (
    SELECT external_id, min(conv_ord) AS ord, max(candidate_name) AS cn, max(job_title) AS jt, max(sent_at) AS last_sent
    FROM import_messages GROUP BY external_id
  ), ins AS (
    INSERT INTO conversations (external_id, candidate_name, job_title, last_activity_at, updated_at)
    SELECT s.external_id, s.cn, s.jt, coalesce(s.last_sent, now()), now() FROM src s
    WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.external_id = s.external_id)
    ORDER BY s.ord
    RETURNING id
  )
  INSERT INTO touched (id, content) SELECT id, true FROM ins`;

export const MAP_STAGING = `
  CREATE TEMP TABLE im ON COMMIT DROP AS
    SELECT c.id AS conversation_id, s.* FROM import_messages s JOIN conversations c ON c.external_id = s.external_id;
  CREATE INDEX ON im (conversation_id, position);
  ANALYZE im;
  CREATE TEMP TABLE new_conv ON COMMIT DROP AS SELECT id FROM touched;
  CREATE UNIQUE INDEX ON new_conv (id);`;

export const UPDATE_CONVERSATION_FIELDS = `
  WITH s AS (
    SELECT conversation_id, max(candidate_name) AS cn, max(job_title) AS jt FROM im
    WHERE conversation_id NOT IN (SELECT id FROM new_conv) GROUP BY conversation_id
  ), upd AS (
    UPDATE conversations c SET candidate_name = s.cn, job_title = s.jt, updated_at = now()
    FROM s WHERE c.id = s.conversation_id AND (c.candidate_name IS DISTINCT FROM s.cn OR c.job_title IS DISTINCT FROM s.jt)
    RETURNING c.id
  )
  INSERT INTO touched (id, content) SELECT id, true FROM upd ON CONFLICT (id) DO UPDATE SET content = true`;

// Messages of existing conversations whose content changed at a position, or whose
// position the file no longer has. Their labels no longer describe what was said.
export const FIND_STALE_MESSAGES = `
  CREATE TEMP TABLE stale ON COMMIT DROP AS
    SELECT m.id, m.conversation_id, (im.position IS NULL) AS removed
    FROM messages m
    LEFT JOIN im ON im.conversation_id = m.conversation_id AND im.position = m.position
    WHERE m.conversation_id IN (SELECT DISTINCT conversation_id FROM im WHERE conversation_id NOT IN (SELECT id FROM new_conv))
      AND (im.position IS NULL OR (m.sender, m.text, m.sent_at) IS DISTINCT FROM (im.sender, im.text, im.sent_at));`;

export const APPLY_STALE_MESSAGES = `
  INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
    SELECT l.message_id, l.conversation_id, l.reviewer_id, l.value, NULL, 'import'
    FROM labels l JOIN stale s ON s.id = l.message_id ORDER BY l.message_id, l.reviewer_id;
  DELETE FROM labels WHERE message_id IN (SELECT id FROM stale);
  DELETE FROM messages WHERE id IN (SELECT id FROM stale WHERE removed);
  UPDATE messages m SET sender = im.sender, text = im.text, sent_at = im.sent_at
    FROM stale s, im WHERE m.id = s.id AND NOT s.removed AND im.conversation_id = m.conversation_id AND im.position = m.position;
  INSERT INTO touched (id, content) SELECT DISTINCT conversation_id, true FROM stale ON CONFLICT (id) DO UPDATE SET content = true;`;

export const INSERT_NEW_MESSAGES = `
  WITH ins AS (
    INSERT INTO messages (conversation_id, position, sender, text, sent_at)
    SELECT im.conversation_id, im.position, im.sender, im.text, im.sent_at FROM im
    WHERE im.conversation_id IN (SELECT id FROM new_conv)
       OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = im.conversation_id AND m.position = im.position)
    ORDER BY im.conversation_id, im.position
    RETURNING conversation_id
  )
  INSERT INTO touched (id, content) SELECT DISTINCT conversation_id, true FROM ins ON CONFLICT (id) DO UPDATE SET content = true`;

// The file is the source of truth for its own reviewer account: add, change and remove
// that reviewer's labels to match, recording each change in the history.
export const SYNC_IMPORT_LABELS = `
  CREATE TEMP TABLE desired ON COMMIT DROP AS
    SELECT m.id AS message_id, m.conversation_id, im.label
    FROM im JOIN messages m ON m.conversation_id = im.conversation_id AND m.position = im.position
    WHERE im.label IS NOT NULL;
  CREATE TEMP TABLE label_changes ON COMMIT DROP AS
    SELECT coalesce(d.message_id, l.message_id) AS message_id, coalesce(d.conversation_id, l.conversation_id) AS conversation_id,
           l.value AS from_value, d.label AS to_value
    FROM desired d
    FULL JOIN (
      SELECT l.* FROM labels l
      WHERE l.reviewer_id = $1 AND l.conversation_id IN (SELECT DISTINCT conversation_id FROM im)
    ) l ON l.message_id = d.message_id
    WHERE l.value IS DISTINCT FROM d.label;`;

export const APPLY_LABEL_CHANGES = `
  INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
    SELECT message_id, conversation_id, $1, from_value, to_value, 'import' FROM label_changes ORDER BY message_id;
  DELETE FROM labels l USING label_changes c WHERE l.message_id = c.message_id AND l.reviewer_id = $1 AND c.to_value IS NULL;
  INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
    SELECT message_id, conversation_id, $1, to_value, now() FROM label_changes WHERE to_value IS NOT NULL ORDER BY message_id
    ON CONFLICT (message_id, reviewer_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now();
  INSERT INTO touched (id) SELECT DISTINCT conversation_id FROM label_changes ON CONFLICT (id) DO NOTHING;`;
