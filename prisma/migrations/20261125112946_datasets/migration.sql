-- CreateEnum
CREATE TYPE "DatasetVersionStatus" AS ENUM ('queued', 'building', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "DatasetSplit" AS ENUM ('train', 'validation', 'test');

-- CreateTable
CREATE TABLE "datasets" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_versions" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "DatasetVersionStatus" NOT NULL DEFAULT 'queued',
    "params" JSONB NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "progress_phase" TEXT,
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "progress_total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "example_count" INTEGER NOT NULL DEFAULT 0,
    "content_hash" TEXT,
    "files" JSONB,
    "counts" JSONB,
    "exclusions" JSONB,
    "checks" JSONB,
    "token_stats" JSONB,

    CONSTRAINT "dataset_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_examples" (
    "version_id" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "message_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "label" "LabelValue" NOT NULL,
    "tokens" INTEGER NOT NULL,
    "user_content" TEXT NOT NULL,

    CONSTRAINT "dataset_examples_pkey" PRIMARY KEY ("version_id","split","ordinal")
);

-- CreateTable
CREATE TABLE "dataset_split_assignments" (
    "dataset_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "first_version" INTEGER NOT NULL,

    CONSTRAINT "dataset_split_assignments_pkey" PRIMARY KEY ("dataset_id","conversation_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE INDEX "dataset_versions_created_at_idx" ON "dataset_versions"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_versions_dataset_id_version_key" ON "dataset_versions"("dataset_id", "version");

-- CreateIndex
CREATE INDEX "dataset_examples_version_id_message_id_idx" ON "dataset_examples"("version_id", "message_id");

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_examples" ADD CONSTRAINT "dataset_examples_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_split_assignments" ADD CONSTRAINT "dataset_split_assignments_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
