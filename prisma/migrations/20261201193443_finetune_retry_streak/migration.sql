-- AlterTable
ALTER TABLE "fine_tune_jobs" ADD COLUMN     "failed_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failing_since" TIMESTAMP(3);
