-- CreateEnum
CREATE TYPE "FineTuneStatus" AS ENUM ('pending', 'validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "provider_settings" (
    "provider" TEXT NOT NULL,
    "base_url" TEXT,
    "api_key_encrypted" TEXT,
    "updated_by_id" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_settings_pkey" PRIMARY KEY ("provider")
);

-- CreateTable
CREATE TABLE "fine_tune_jobs" (
    "id" SERIAL NOT NULL,
    "dataset_version_id" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "base_model" TEXT NOT NULL,
    "hyperparameters" JSONB NOT NULL,
    "resolved_hyperparameters" JSONB,
    "suffix" TEXT,
    "seed" INTEGER,
    "idempotency_key" TEXT NOT NULL,
    "provider_job_id" TEXT,
    "training_file_id" TEXT,
    "validation_file_id" TEXT,
    "status" "FineTuneStatus" NOT NULL DEFAULT 'pending',
    "fine_tuned_model" TEXT,
    "trained_tokens" INTEGER,
    "result_file_id" TEXT,
    "error" TEXT,
    "estimated_cost" JSONB,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_polled_at" TIMESTAMP(3),

    CONSTRAINT "fine_tune_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fine_tune_events" (
    "id" BIGSERIAL NOT NULL,
    "job_id" INTEGER NOT NULL,
    "provider_event_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "level" TEXT NOT NULL,
    "type" TEXT,
    "message" TEXT NOT NULL,
    "data" JSONB,

    CONSTRAINT "fine_tune_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fine_tune_metrics" (
    "job_id" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "train_loss" DOUBLE PRECISION,
    "train_accuracy" DOUBLE PRECISION,
    "valid_loss" DOUBLE PRECISION,
    "valid_accuracy" DOUBLE PRECISION,

    CONSTRAINT "fine_tune_metrics_pkey" PRIMARY KEY ("job_id","step")
);

-- CreateIndex
CREATE UNIQUE INDEX "fine_tune_jobs_idempotency_key_key" ON "fine_tune_jobs"("idempotency_key");

-- CreateIndex
CREATE INDEX "fine_tune_jobs_created_at_idx" ON "fine_tune_jobs"("created_at" DESC);

-- CreateIndex
CREATE INDEX "fine_tune_jobs_status_idx" ON "fine_tune_jobs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "fine_tune_jobs_provider_provider_job_id_key" ON "fine_tune_jobs"("provider", "provider_job_id");

-- CreateIndex
CREATE INDEX "fine_tune_events_job_id_created_at_idx" ON "fine_tune_events"("job_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "fine_tune_events_job_id_provider_event_id_key" ON "fine_tune_events"("job_id", "provider_event_id");

-- AddForeignKey
ALTER TABLE "fine_tune_jobs" ADD CONSTRAINT "fine_tune_jobs_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fine_tune_jobs" ADD CONSTRAINT "fine_tune_jobs_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fine_tune_events" ADD CONSTRAINT "fine_tune_events_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "fine_tune_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fine_tune_metrics" ADD CONSTRAINT "fine_tune_metrics_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "fine_tune_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
