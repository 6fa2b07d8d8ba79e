-- CreateEnum
CREATE TYPE "ImportUploadStatus" AS ENUM ('uploading', 'uploaded', 'queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "import_uploads" (
    "id" SERIAL NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "declared_bytes" INTEGER NOT NULL,
    "received_bytes" INTEGER NOT NULL DEFAULT 0,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "csv_columns" JSONB,
    "mapping" JSONB,
    "status" "ImportUploadStatus" NOT NULL DEFAULT 'uploading',
    "stage" TEXT,
    "processed_bytes" INTEGER NOT NULL DEFAULT 0,
    "issue_count" INTEGER NOT NULL DEFAULT 0,
    "issues" JSONB,
    "summary" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "import_uploads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_upload_chunks" (
    "upload_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "import_upload_chunks_pkey" PRIMARY KEY ("upload_id","seq")
);

-- CreateIndex
CREATE INDEX "import_uploads_created_by_id_id_idx" ON "import_uploads"("created_by_id", "id");

-- AddForeignKey
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_upload_chunks" ADD CONSTRAINT "import_upload_chunks_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "import_uploads"("id") ON DELETE CASCADE ON UPDATE CASCADE;
