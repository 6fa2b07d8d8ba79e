// The set-based merge from the staged rows (import_messages) into the real tables. Each
// statement is one pass over the import, so a 1M-message file costs a handful of queries.
// New conversations (the bulk of a first import) take a fast path that writes every row,
// counter and search document once; existing conversations are diffed message by message.
// $1 is always the import reviewer's user id where a statement takes a parameter.
//
// Lock order (lib/labeling/lock-order.ts): the caller holds the import lock, so the staged
// diff of messages, conversation fields and the import reviewer's labels — which only
// imports write — cannot change under it; LOCK_CHANGED_CONVERSATIONS then locks every
// existing conversation that diff will write, before the first write to any of them.
// Unchanged conversations are never locked, so an idempotent re-import blocks no reviewer.
import { SEARCH_CONFIG } from '../conversations/search-query';

// The file goes in batch by batch (stagingBatches in ./import-conversations.ts). Each batch's
// conversation rows are COPYed into import_convs, with their search documents when a second
// connection computed them meanwhile (doc), or else with the text they are computed from on
// insert (body: name, job title and messages joined by the reader as searchDocumentSql in
// lib/conversations/search-query.ts joins them); the new ones are then inserted into conversations, which
// hands their ids back, so their messages are COPYed straight into messages (no staging of
// every message and no second INSERT … SELECT of all the text). Only the messages of
// conversations that exist already are staged, in import_messages, for the diff below; the
// labels of new conversations are staged by (conversation, position) in new_label_turns.
export const CREATE_STAGING = `
  CREATE TEMP TABLE import_convs (
    external_id text NOT NULL, conv_ord int NOT NULL, candidate_name text, job_title text,
    last_sent timestamp(3), recruiter_turns int, labeled int, ends int, schedules int, problem_turns int,
    body text, doc tsvector
  ) ON COMMIT DROP;
  CREATE TEMP TABLE import_messages (
    external_id text NOT NULL, conv_ord int NOT NULL, candidate_name text, job_title text,
    position int NOT NULL, sender "Sender" NOT NULL, text text NOT NULL, sent_at timestamp(3), label "LabelValue"
  ) ON COMMIT DROP;
  CREATE TEMP TABLE new_label_turns (conversation_id int NOT NULL, position int NOT NULL, label "LabelValue" NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE conv_map (external_id text PRIMARY KEY, id int NOT NULL, is_new boolean NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE touched (id int PRIMARY KEY, content boolean NOT NULL DEFAULT false) ON COMMIT DROP;`;

export const COPY_CONVERSATIONS_BATCH = `COPY import_convs (external_id, conv_ord, candidate_name, job_title,
  last_sent, recruiter_turns, labeled, ends, schedules, problem_turns, body, doc) FROM STDIN`;

// The search documents of a batch, worked out on a second connection (searchDocuments in
// ./import-conversations.ts): $1 is each conversation's searchDocumentSql input, already
// joined. A pure function of the text, so any session of the server gives the same document.
export const SEARCH_DOCUMENTS = `SELECT to_tsvector('${SEARCH_CONFIG}', d)::text AS doc FROM unnest($1::text[]) WITH ORDINALITY AS u(d, n) ORDER BY n`;

export const COPY_NEW_MESSAGES = `COPY messages (conversation_id, position, sender, text, sent_at) FROM STDIN`;

export const COPY_EXISTING_MESSAGES = `COPY import_messages (external_id, conv_ord, candidate_name, job_title, position, sender, text, sent_at, label) FROM STDIN`;

export const COPY_NEW_LABEL_TURNS = `COPY new_label_turns (conversation_id, position, label) FROM STDIN`;

// A batch's conversations that exist already, probed once each. The caller holds the import
// lock from the first batch on: no other writer creates conversations meanwhile.
export const MAP_EXISTING_BATCH = `
  INSERT INTO conv_map (external_id, id, is_new)
    SELECT s.external_id, c.id, false FROM import_convs s JOIN conversations c ON c.external_id = s.external_id
    RETURNING external_id`;

// The counters (over decision turns: recruiter messages after the first message) were
// counted by the reader with the definitions of lib/conversations/stats.ts; a new
// conversation has no labels but the file's, all by one reviewer. Returns the new ids, which
// the reader writes into the batch's message rows.
export const INSERT_NEW_CONVERSATIONS_BATCH = `
  WITH ins AS (
    INSERT INTO conversations (external_id, candidate_name, job_title, last_activity_at, updated_at, search,
                               recruiter_turns, labeled_turns, end_turns, schedule_turns, reviewer_count, min_turn_labels, sequence_problem_turns)
    SELECT s.external_id, s.candidate_name, s.job_title, coalesce(s.last_sent, now()), now(),
           coalesce(s.doc, to_tsvector('${SEARCH_CONFIG}', s.body)),
           s.recruiter_turns, s.labeled, s.ends, s.schedules, CASE WHEN s.labeled > 0 THEN 1 ELSE 0 END,
           CASE WHEN s.recruiter_turns > 0 AND s.labeled >= s.recruiter_turns THEN 1 ELSE 0 END, s.problem_turns
    FROM import_convs s
    WHERE NOT EXISTS (SELECT 1 FROM conv_map m WHERE m.external_id = s.external_id)
    ORDER BY s.conv_ord
    RETURNING id, external_id
  )
  INSERT INTO conv_map (external_id, id, is_new) SELECT external_id, id, true FROM ins RETURNING external_id, id`;

// After the last batch: the label rows of the new conversations, their message ids looked up
// by (conversation, position) in the messages just written.
export const NEW_LABELS = `
  ANALYZE conv_map;
  ANALYZE new_label_turns;
  CREATE TEMP TABLE new_labels ON COMMIT DROP AS
    SELECT msg.id AS message_id, t.conversation_id, t.label, t.position
    FROM new_label_turns t JOIN messages msg ON msg.conversation_id = t.conversation_id AND msg.position = t.position;`;

// Every reference of these rows is to a row this transaction wrote or locked (the caller may
// skip their foreign key checks: withoutFkChecks in ./import-conversations.ts).
export const INSERT_NEW_LABELS = `
  INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
    SELECT message_id, conversation_id, $1, label, now() FROM new_labels ORDER BY message_id;
  INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
    SELECT message_id, conversation_id, $1, NULL, label, 'import' FROM new_labels ORDER BY message_id;`;

// Statement-level triggers keep the progress totals from these rows: never skipped.
export const NEW_REVIEWER_PROGRESS = `
  INSERT INTO conversation_reviewers (conversation_id, reviewer_id, labeled_turns, last_labeled_at)
    SELECT conversation_id, $1, count(*), now() FROM new_labels WHERE position > 0 GROUP BY conversation_id;`;

// ---- existing conversations: diff by position ----

export const STAGE_EXISTING = `
  CREATE TEMP TABLE im ON COMMIT DROP AS
    SELECT m.id AS conversation_id, s.external_id, s.candidate_name, s.job_title, s.position, s.sender, s.text, s.sent_at, s.label
    FROM import_messages s JOIN conv_map m ON m.external_id = s.external_id WHERE NOT m.is_new;
  CREATE INDEX ON im (conversation_id, position);
  ANALYZE im;`;

// Every existing conversation a later statement writes: a changed name or job title, a
// changed or removed message (FIND_STALE_MESSAGES), an added message, or an import label to
// add, change or remove. Locked in id order; `touched` must end up a subset of `locked`.
export const LOCK_CHANGED_CONVERSATIONS = `
  CREATE TEMP TABLE locked (id int PRIMARY KEY) ON COMMIT DROP;
  INSERT INTO locked (id)
    SELECT c.id FROM conversations c
    WHERE c.id IN (
      SELECT conversation_id FROM stale
      UNION
      SELECT im.conversation_id FROM im
        LEFT JOIN messages m ON m.conversation_id = im.conversation_id AND m.position = im.position
        LEFT JOIN labels l ON l.message_id = m.id AND l.reviewer_id = $1
        WHERE m.id IS NULL OR l.value IS DISTINCT FROM im.label
      UNION
      SELECT s.conversation_id FROM (SELECT conversation_id, max(candidate_name) AS cn, max(job_title) AS jt FROM im GROUP BY conversation_id) s
        JOIN conversations c2 ON c2.id = s.conversation_id
        WHERE c2.candidate_name IS DISTINCT FROM s.cn OR c2.job_title IS DISTINCT FROM s.jt
    )
    ORDER BY c.id
    FOR UPDATE OF c;`;

export const UNLOCKED_WRITES = `SELECT count(*)::int AS n FROM touched t WHERE NOT EXISTS (SELECT 1 FROM locked l WHERE l.id = t.id)`;

export const UPDATE_CONVERSATION_FIELDS = `
  WITH s AS (
    SELECT conversation_id, max(candidate_name) AS cn, max(job_title) AS jt FROM im GROUP BY conversation_id
  ), upd AS (
    UPDATE conversations c SET candidate_name = s.cn, job_title = s.jt, updated_at = now()
    FROM s WHERE c.id = s.conversation_id AND (c.candidate_name IS DISTINCT FROM s.cn OR c.job_title IS DISTINCT FROM s.jt)
    RETURNING c.id
  )
  INSERT INTO touched (id, content) SELECT id, true FROM upd ON CONFLICT (id) DO UPDATE SET content = true`;

// Messages whose content changed at a position, or whose position the file no longer has.
// Their labels no longer describe what was said.
export const FIND_STALE_MESSAGES = `
  CREATE TEMP TABLE stale ON COMMIT DROP AS
    SELECT m.id, m.conversation_id, (im.position IS NULL) AS removed
    FROM messages m
    LEFT JOIN im ON im.conversation_id = m.conversation_id AND im.position = m.position
    WHERE m.conversation_id IN (SELECT id FROM conv_map WHERE NOT is_new)
      AND (im.position IS NULL OR (m.sender, m.text, m.sent_at) IS DISTINCT FROM (im.sender, im.text, im.sent_at));`;

export const APPLY_STALE_MESSAGES = `
  INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
    SELECT l.message_id, l.conversation_id, l.reviewer_id, l.value, NULL, 'import'
    FROM labels l JOIN stale s ON s.id = l.message_id ORDER BY l.message_id, l.reviewer_id;
  DELETE FROM labels WHERE message_id IN (SELECT id FROM stale);
  DELETE FROM adjudications WHERE message_id IN (SELECT id FROM stale);
  DELETE FROM messages WHERE id IN (SELECT id FROM stale WHERE removed);
  UPDATE messages m SET sender = im.sender, text = im.text, sent_at = im.sent_at
    FROM stale s, im WHERE m.id = s.id AND NOT s.removed AND im.conversation_id = m.conversation_id AND im.position = m.position;
  INSERT INTO touched (id, content) SELECT DISTINCT conversation_id, true FROM stale ON CONFLICT (id) DO UPDATE SET content = true;`;

export const INSERT_ADDED_MESSAGES = `
  WITH ins AS (
    INSERT INTO messages (conversation_id, position, sender, text, sent_at)
    SELECT im.conversation_id, im.position, im.sender, im.text, im.sent_at FROM im
    WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = im.conversation_id AND m.position = im.position)
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
