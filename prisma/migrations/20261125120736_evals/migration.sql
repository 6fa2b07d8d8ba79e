-- CreateEnum
CREATE TYPE "EvalRunStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "eval_runs" (
    "id" SERIAL NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "dataset_version_id" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL DEFAULT 'test',
    "status" "EvalRunStatus" NOT NULL DEFAULT 'queued',
    "settings" JSONB NOT NULL,
    "fine_tune_job_id" INTEGER,
    "model_created_at" TIMESTAMP(3),
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "progress_total" INTEGER NOT NULL DEFAULT 0,
    "metrics" JSONB,
    "accuracy" DOUBLE PRECISION,
    "macro_f1" DOUBLE PRECISION,
    "error" TEXT,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "eval_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_predictions" (
    "run_id" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "message_id" INTEGER NOT NULL,
    "truth" "LabelValue" NOT NULL,
    "predicted" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION,
    "raw_output" TEXT,
    "latency_ms" INTEGER,
    "prompt_tokens" INTEGER,
    "completion_tokens" INTEGER,
    "error" TEXT,

    CONSTRAINT "eval_predictions_pkey" PRIMARY KEY ("run_id","ordinal")
);

-- CreateIndex
CREATE INDEX "eval_runs_dataset_version_id_split_idx" ON "eval_runs"("dataset_version_id", "split");

-- CreateIndex
CREATE INDEX "eval_runs_created_at_idx" ON "eval_runs"("created_at" DESC);

-- CreateIndex
CREATE INDEX "eval_predictions_run_id_truth_predicted_idx" ON "eval_predictions"("run_id", "truth", "predicted");

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_fine_tune_job_id_fkey" FOREIGN KEY ("fine_tune_job_id") REFERENCES "fine_tune_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_predictions" ADD CONSTRAINT "eval_predictions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
