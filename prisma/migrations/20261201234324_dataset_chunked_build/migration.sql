-- AlterTable
ALTER TABLE "dataset_versions" ADD COLUMN     "batches_done" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "batches_total" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "build_stage" TEXT,
ADD COLUMN     "build_state" JSONB;

-- CreateTable
CREATE TABLE "dataset_transcripts" (
    "sha256" BYTEA NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "dataset_transcripts_pkey" PRIMARY KEY ("sha256")
);

-- AlterTable: examples built before this migration keep their exact text, each as a
-- transcript of its own (content-addressed, so equal texts share a row) sliced whole.
ALTER TABLE "dataset_examples" ADD COLUMN     "closing" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "content_md5" UUID,
ADD COLUMN     "context_chars" INTEGER,
ADD COLUMN     "context_from" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "transcript_sha" BYTEA;

INSERT INTO "dataset_transcripts" ("sha256", "text")
SELECT DISTINCT sha256(convert_to("user_content", 'UTF8')), "user_content" FROM "dataset_examples"
ON CONFLICT DO NOTHING;

UPDATE "dataset_examples" SET "transcript_sha" = sha256(convert_to("user_content", 'UTF8')),
  "context_chars" = length("user_content"), "content_md5" = md5("user_content")::uuid;

ALTER TABLE "dataset_examples" DROP COLUMN "user_content",
ALTER COLUMN "closing" DROP DEFAULT,
ALTER COLUMN "content_md5" SET NOT NULL,
ALTER COLUMN "context_chars" SET NOT NULL,
ALTER COLUMN "context_from" DROP DEFAULT,
ALTER COLUMN "transcript_sha" SET NOT NULL;

-- The user message of an example, assembled from its transcript slice and closing line.
-- Written as a function over the row so SQL can keep reading it as e.user_content
-- (attribute notation). Prisma does not see functions, and schema.prisma does not list it.
CREATE FUNCTION user_content(e "dataset_examples") RETURNS TEXT
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT substr(t."text", e."context_from", e."context_chars") || e."closing" FROM "dataset_transcripts" t WHERE t."sha256" = e."transcript_sha" $$;

-- CreateTable
CREATE TABLE "dataset_build_turns" (
    "version_id" INTEGER NOT NULL,
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "label" "LabelValue" NOT NULL,

    CONSTRAINT "dataset_build_turns_pkey" PRIMARY KEY ("version_id","message_id")
);

-- CreateTable
CREATE TABLE "dataset_build_conversations" (
    "version_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "first_ordinal" INTEGER NOT NULL,
    "turns" INTEGER NOT NULL,

    CONSTRAINT "dataset_build_conversations_pkey" PRIMARY KEY ("version_id","seq")
);

-- CreateTable
CREATE TABLE "dataset_build_batches" (
    "version_id" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,
    "stats" JSONB NOT NULL,

    CONSTRAINT "dataset_build_batches_pkey" PRIMARY KEY ("version_id","batch")
);

-- CreateIndex
CREATE INDEX "dataset_build_turns_version_id_conversation_id_idx" ON "dataset_build_turns"("version_id", "conversation_id");

-- AddForeignKey
ALTER TABLE "dataset_examples" ADD CONSTRAINT "dataset_examples_transcript_sha_fkey" FOREIGN KEY ("transcript_sha") REFERENCES "dataset_transcripts"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_build_turns" ADD CONSTRAINT "dataset_build_turns_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_build_conversations" ADD CONSTRAINT "dataset_build_conversations_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_build_batches" ADD CONSTRAINT "dataset_build_batches_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
