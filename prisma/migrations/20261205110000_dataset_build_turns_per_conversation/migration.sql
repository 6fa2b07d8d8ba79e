-- The frozen turns are kept one row per conversation (its message ids and labels, in message
-- id order) instead of one row per turn: the freeze inserts a quarter of the rows at four turns
-- per conversation, and the plan reads them without grouping. Scratch rows of a build frozen
-- before this migration are regrouped, so it resumes as it would have. The statement-level
-- reference and cascade triggers stay on the table (they read version_id only).
CREATE TEMP TABLE "frozen_by_conversation" AS
SELECT version_id, conversation_id, array_agg(message_id ORDER BY message_id) AS message_ids, array_agg(label ORDER BY message_id) AS labels
FROM "dataset_build_turns" GROUP BY version_id, conversation_id;

DELETE FROM "dataset_build_turns";

-- AlterTable
ALTER TABLE "dataset_build_turns" DROP CONSTRAINT "dataset_build_turns_pkey",
DROP COLUMN "label",
DROP COLUMN "message_id",
ADD COLUMN "labels" "LabelValue"[],
ADD COLUMN "message_ids" INTEGER[],
ADD CONSTRAINT "dataset_build_turns_pkey" PRIMARY KEY ("version_id", "conversation_id");

INSERT INTO "dataset_build_turns" (version_id, conversation_id, message_ids, labels)
SELECT version_id, conversation_id, message_ids, labels FROM "frozen_by_conversation";

DROP TABLE "frozen_by_conversation";
