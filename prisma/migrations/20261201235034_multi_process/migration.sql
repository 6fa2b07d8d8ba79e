-- CreateTable
CREATE TABLE "labeling_totals" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "labeling_totals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "note" TEXT,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_leases_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "labeling_totals_key_idx" ON "labeling_totals"("key");

-- (Function bodies are E'' strings with \073 for the semicolon: the migration runner splits the script at every semicolon.)
-- The progress bar's totals, kept by triggers so every writer (the label write, the importer, the
-- live merge, COPY) keeps them right. Statement-level triggers over transition tables write one
-- row per reviewer per statement (an import batch is one statement, not one trigger call per row).
-- Rows are only ever inserted: concurrent label writes never wait on a shared counter.
CREATE FUNCTION labeling_totals_conversations_ins() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO labeling_totals (key, delta) SELECT ''turns'', s FROM (SELECT sum(recruiter_turns) AS s FROM new_rows WHERE NOT is_golden) t WHERE s <> 0\073 RETURN NULL\073 END';

CREATE FUNCTION labeling_totals_conversations_del() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO labeling_totals (key, delta) SELECT ''turns'', -s FROM (SELECT sum(recruiter_turns) AS s FROM old_rows WHERE NOT is_golden) t WHERE s <> 0\073 RETURN NULL\073 END';

-- Updates: per row, and only when the two columns that matter change (UPDATE OF plus WHEN), so the
-- frequent updates of other columns (search documents, activity times, other counters) cost nothing.
CREATE FUNCTION labeling_totals_conversations_upd() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO labeling_totals (key, delta) VALUES (''turns'', (CASE WHEN NEW.is_golden THEN 0 ELSE NEW.recruiter_turns END) - (CASE WHEN OLD.is_golden THEN 0 ELSE OLD.recruiter_turns END))\073 RETURN NULL\073 END';

CREATE FUNCTION labeling_totals_reviewers_ins() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO labeling_totals (key, delta) SELECT ''reviewer:'' || reviewer_id, sum(labeled_turns) FROM new_rows GROUP BY reviewer_id HAVING sum(labeled_turns) <> 0\073 RETURN NULL\073 END';

CREATE FUNCTION labeling_totals_reviewers_del() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO labeling_totals (key, delta) SELECT ''reviewer:'' || reviewer_id, -sum(labeled_turns) FROM old_rows GROUP BY reviewer_id HAVING sum(labeled_turns) <> 0\073 RETURN NULL\073 END';

CREATE FUNCTION labeling_totals_reviewers_upd() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO labeling_totals (key, delta) SELECT ''reviewer:'' || reviewer_id, sum(d) FROM ( SELECT reviewer_id, labeled_turns AS d FROM new_rows UNION ALL SELECT reviewer_id, -labeled_turns FROM old_rows ) x GROUP BY reviewer_id HAVING sum(d) <> 0\073 RETURN NULL\073 END';

-- TRUNCATE fires no row or statement DELETE triggers: forget the totals of what it emptied.
CREATE FUNCTION labeling_totals_conversations_truncate() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN DELETE FROM labeling_totals WHERE key = ''turns''\073 RETURN NULL\073 END';

CREATE FUNCTION labeling_totals_reviewers_truncate() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN DELETE FROM labeling_totals WHERE key LIKE ''reviewer:%''\073 RETURN NULL\073 END';

CREATE TRIGGER labeling_totals_ins AFTER INSERT ON conversations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_conversations_ins();
CREATE TRIGGER labeling_totals_del AFTER DELETE ON conversations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_conversations_del();
CREATE TRIGGER labeling_totals_upd AFTER UPDATE OF recruiter_turns, is_golden ON conversations
  FOR EACH ROW WHEN (OLD.recruiter_turns IS DISTINCT FROM NEW.recruiter_turns OR OLD.is_golden IS DISTINCT FROM NEW.is_golden)
  EXECUTE FUNCTION labeling_totals_conversations_upd();
CREATE TRIGGER labeling_totals_truncate AFTER TRUNCATE ON conversations
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_conversations_truncate();

CREATE TRIGGER labeling_totals_ins AFTER INSERT ON conversation_reviewers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_reviewers_ins();
CREATE TRIGGER labeling_totals_del AFTER DELETE ON conversation_reviewers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_reviewers_del();
CREATE TRIGGER labeling_totals_upd AFTER UPDATE ON conversation_reviewers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_reviewers_upd();
CREATE TRIGGER labeling_totals_truncate AFTER TRUNCATE ON conversation_reviewers
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_totals_reviewers_truncate();

-- What is there already.
INSERT INTO labeling_totals (key, delta)
SELECT 'turns', coalesce(sum(recruiter_turns), 0) FROM conversations WHERE NOT is_golden;
INSERT INTO labeling_totals (key, delta)
SELECT 'reviewer:' || reviewer_id, sum(labeled_turns) FROM conversation_reviewers GROUP BY reviewer_id;

-- The work queue's claim walks the list order (last activity, newest first) and stops at the
-- first conversation that still needs a reviewer. Without these, every conversation already
-- finished ahead of it is read and rejected (50,000 rows when the newest half of 100k is done).
-- Partial indexes hold only conversations with a decision turn below 1 (or 2) labels, the claim's
-- own first test at 1 (or 2) reviewers per turn, so finished ones drop out as they are finished.
CREATE INDEX conversations_claim_open_1_idx ON conversations (last_activity_at DESC, id DESC)
  WHERE NOT is_golden AND recruiter_turns > 0 AND min_turn_labels < 1;
CREATE INDEX conversations_claim_open_2_idx ON conversations (last_activity_at DESC, id DESC)
  WHERE NOT is_golden AND recruiter_turns > 0 AND min_turn_labels < 2;
