-- AlterEnum
ALTER TYPE "FineTuneStatus" ADD VALUE 'deploying';

-- AlterTable
ALTER TABLE "provider_settings" ADD COLUMN     "options" JSONB,
ADD COLUMN     "secret_encrypted" TEXT;

-- AlterTable
ALTER TABLE "fine_tune_jobs" ADD COLUMN     "deployment_name" TEXT,
ADD COLUMN     "next_poll_at" TIMESTAMP(3),
ADD COLUMN     "poll_interval_ms" INTEGER,
ADD COLUMN     "provider_model" TEXT,
ADD COLUMN     "provider_status" TEXT;

-- CreateTable
CREATE TABLE "provider_call_slots" (
    "provider" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "lease_until" TIMESTAMP(3),

    CONSTRAINT "provider_call_slots_pkey" PRIMARY KEY ("provider","slot")
);
