-- The statement-level reference checks of dataset_examples (and of the build's scratch tables)
-- looked referenced rows up with IN (…) and NOT EXISTS over the transition table, which the
-- planner ran as hash joins over a scan of the whole referenced table: every build batch read all
-- of dataset_transcripts twice, so a build grew with the square of its size (and every build got
-- slower as the table grew across versions). Each distinct key of the statement is now looked up
-- by its primary key (a LATERAL subquery with its own row lock cannot be turned into a join),
-- locked FOR KEY SHARE as before, and the check compares how many were found with how many
-- were asked for: one pass instead of two, the same error when a row is missing.
-- (Function bodies are E'' strings with \073 for the semicolon: the migration runner splits the script at every semicolon.)

CREATE OR REPLACE FUNCTION dataset_version_refs_check() RETURNS trigger LANGUAGE plpgsql AS E'DECLARE wanted bigint\073 found_n bigint\073 BEGIN SELECT count(*), count(v.one) INTO wanted, found_n FROM (SELECT DISTINCT version_id FROM new_rows) n LEFT JOIN LATERAL (SELECT 1 AS one FROM dataset_versions v WHERE v.id = n.version_id FOR KEY SHARE) v ON true\073 IF found_n < wanted THEN RAISE EXCEPTION ''insert or update on table "%" violates its reference to dataset_versions (version_id)'', TG_TABLE_NAME USING ERRCODE = ''foreign_key_violation''\073 END IF\073 RETURN NULL\073 END';

CREATE OR REPLACE FUNCTION dataset_transcript_refs_check() RETURNS trigger LANGUAGE plpgsql AS E'DECLARE wanted bigint\073 found_n bigint\073 BEGIN SELECT count(*), count(t.one) INTO wanted, found_n FROM (SELECT DISTINCT transcript_sha FROM new_rows) n LEFT JOIN LATERAL (SELECT 1 AS one FROM dataset_transcripts t WHERE t.sha256 = n.transcript_sha FOR KEY SHARE) t ON true\073 IF found_n < wanted THEN RAISE EXCEPTION ''insert or update on table "dataset_examples" violates its reference to dataset_transcripts (transcript_sha)'' USING ERRCODE = ''foreign_key_violation''\073 END IF\073 RETURN NULL\073 END';
