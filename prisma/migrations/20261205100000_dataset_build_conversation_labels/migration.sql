-- A plan row carries its conversation's frozen labels, so a batch reads them with the
-- conversation (one array lookup per message) instead of a primary-key probe of
-- dataset_build_turns per message, which was half of each batch read at 1M turns.
-- AlterTable
ALTER TABLE "dataset_build_conversations" ADD COLUMN "message_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN "labels" "LabelValue"[] DEFAULT ARRAY[]::"LabelValue"[];

-- A build planned before this migration and not yet finished: its plan rows get their labels
-- from the frozen turns, so it resumes as it would have.
UPDATE "dataset_build_conversations" b
SET "message_ids" = t.ids, "labels" = t.labels
FROM (SELECT version_id, conversation_id, array_agg(message_id ORDER BY message_id) AS ids, array_agg(label ORDER BY message_id) AS labels
      FROM "dataset_build_turns" GROUP BY version_id, conversation_id) t
WHERE t.version_id = b.version_id AND t.conversation_id = b.conversation_id;
