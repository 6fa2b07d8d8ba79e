-- A build writes a row per example (and per frozen turn, per planned conversation) and each
-- row's foreign keys were checked by a per-row trigger: the COPY of 160k examples took 28 s with
-- its two FKs and 6 s without. The same integrity is now checked once per statement, over
-- transition tables, by the triggers below. Referenced rows are still locked FOR KEY SHARE,
-- so a concurrent delete waits for the insert as it did with the FK.
-- (Function bodies are E'' strings with \073 for the semicolon: the migration runner splits the script at every semicolon.)

-- DropForeignKey
ALTER TABLE "dataset_examples" DROP CONSTRAINT "dataset_examples_version_id_fkey";

-- DropForeignKey
ALTER TABLE "dataset_examples" DROP CONSTRAINT "dataset_examples_transcript_sha_fkey";

-- DropForeignKey
ALTER TABLE "dataset_build_turns" DROP CONSTRAINT "dataset_build_turns_version_id_fkey";

-- DropForeignKey
ALTER TABLE "dataset_build_conversations" DROP CONSTRAINT "dataset_build_conversations_version_id_fkey";

-- DropIndex: nothing reads the frozen turns by conversation.
DROP INDEX "dataset_build_turns_version_id_conversation_id_idx";

-- Inserted or updated rows of dataset_examples, dataset_build_turns, dataset_build_conversations: the version exists.
CREATE FUNCTION dataset_version_refs_check() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM 1 FROM dataset_versions v WHERE v.id IN (SELECT DISTINCT version_id FROM new_rows) FOR KEY SHARE\073 IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM dataset_versions v WHERE v.id = n.version_id)) THEN RAISE EXCEPTION ''insert or update on table "%" violates its reference to dataset_versions (version_id)'', TG_TABLE_NAME USING ERRCODE = ''foreign_key_violation''\073 END IF\073 RETURN NULL\073 END';

-- Inserted or updated rows of dataset_examples: the transcript exists.
CREATE FUNCTION dataset_transcript_refs_check() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM 1 FROM dataset_transcripts t WHERE t.sha256 IN (SELECT DISTINCT transcript_sha FROM new_rows) FOR KEY SHARE\073 IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM dataset_transcripts t WHERE t.sha256 = n.transcript_sha)) THEN RAISE EXCEPTION ''insert or update on table "dataset_examples" violates its reference to dataset_transcripts (transcript_sha)'' USING ERRCODE = ''foreign_key_violation''\073 END IF\073 RETURN NULL\073 END';

-- Deleted versions take their examples and scratch rows with them (was ON DELETE CASCADE).
CREATE FUNCTION dataset_versions_cascade_delete() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN DELETE FROM dataset_examples WHERE version_id IN (SELECT id FROM old_rows)\073 DELETE FROM dataset_build_turns WHERE version_id IN (SELECT id FROM old_rows)\073 DELETE FROM dataset_build_conversations WHERE version_id IN (SELECT id FROM old_rows)\073 RETURN NULL\073 END';

-- TRUNCATE dataset_versions (… CASCADE, as the tests reset) empties them too. DELETE, not TRUNCATE:
-- the same TRUNCATE statement may list these tables, and a table cannot be truncated twice in one.
CREATE FUNCTION dataset_versions_cascade_truncate() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN DELETE FROM dataset_examples\073 DELETE FROM dataset_build_turns\073 DELETE FROM dataset_build_conversations\073 RETURN NULL\073 END';

-- A transcript an example uses cannot be deleted (was ON DELETE RESTRICT).
CREATE FUNCTION dataset_transcripts_restrict_delete() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF EXISTS (SELECT 1 FROM dataset_examples e WHERE e.transcript_sha IN (SELECT sha256 FROM old_rows)) THEN RAISE EXCEPTION ''delete on table "dataset_transcripts" violates the reference from dataset_examples (transcript_sha)'' USING ERRCODE = ''foreign_key_violation''\073 END IF\073 RETURN NULL\073 END';

CREATE FUNCTION dataset_transcripts_cascade_truncate() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN DELETE FROM dataset_examples\073 RETURN NULL\073 END';

CREATE TRIGGER dataset_examples_version_ins AFTER INSERT ON "dataset_examples" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_refs_check();

CREATE TRIGGER dataset_examples_version_upd AFTER UPDATE ON "dataset_examples" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_refs_check();

CREATE TRIGGER dataset_examples_transcript_ins AFTER INSERT ON "dataset_examples" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_transcript_refs_check();

CREATE TRIGGER dataset_examples_transcript_upd AFTER UPDATE ON "dataset_examples" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_transcript_refs_check();

CREATE TRIGGER dataset_build_turns_version_ins AFTER INSERT ON "dataset_build_turns" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_refs_check();

CREATE TRIGGER dataset_build_turns_version_upd AFTER UPDATE ON "dataset_build_turns" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_refs_check();

CREATE TRIGGER dataset_build_conversations_version_ins AFTER INSERT ON "dataset_build_conversations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_refs_check();

CREATE TRIGGER dataset_build_conversations_version_upd AFTER UPDATE ON "dataset_build_conversations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_refs_check();

CREATE TRIGGER dataset_versions_cascade_del AFTER DELETE ON "dataset_versions" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_versions_cascade_delete();

CREATE TRIGGER dataset_versions_cascade_trunc AFTER TRUNCATE ON "dataset_versions" FOR EACH STATEMENT EXECUTE FUNCTION dataset_versions_cascade_truncate();

CREATE TRIGGER dataset_transcripts_restrict_del AFTER DELETE ON "dataset_transcripts" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_transcripts_restrict_delete();

CREATE TRIGGER dataset_transcripts_cascade_trunc AFTER TRUNCATE ON "dataset_transcripts" FOR EACH STATEMENT EXECUTE FUNCTION dataset_transcripts_cascade_truncate();
