-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "is_live" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "advisor_promotions" (
    "id" SERIAL NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "timeout_ms" INTEGER NOT NULL,
    "instructions" TEXT NOT NULL,
    "context" JSONB NOT NULL,
    "dataset_version_id" INTEGER,
    "fine_tune_job_id" INTEGER,
    "copied_from_id" INTEGER,
    "note" TEXT,
    "promoted_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advisor_promotions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "rate_per_minute" INTEGER NOT NULL DEFAULT 600,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advisor_decisions" (
    "id" BIGSERIAL NOT NULL,
    "api_key_id" INTEGER,
    "external_id" TEXT NOT NULL,
    "conversation_id" INTEGER,
    "position" INTEGER NOT NULL,
    "decision" "LabelValue",
    "confidence" DOUBLE PRECISION,
    "acted" BOOLEAN NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "model" TEXT NOT NULL,
    "promotion_id" INTEGER NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "model_latency_ms" INTEGER,
    "fell_back" BOOLEAN NOT NULL DEFAULT false,
    "fallback_reason" TEXT,
    "fallback_detail" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advisor_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "live_conversation_inbox" (
    "id" BIGSERIAL NOT NULL,
    "decision_id" BIGINT NOT NULL,
    "external_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "live_conversation_inbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
-- Rate-limit state: no WAL, so a request never waits on a flush for it (lost on a crash, harmlessly).
CREATE UNLOGGED TABLE "api_key_buckets" (
    "api_key_id" INTEGER NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,
    "allowed" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "api_key_buckets_pkey" PRIMARY KEY ("api_key_id")
);

-- CreateIndex
CREATE INDEX "advisor_promotions_created_at_idx" ON "advisor_promotions"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "advisor_decisions_created_at_id_idx" ON "advisor_decisions"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "advisor_decisions_external_id_position_idx" ON "advisor_decisions"("external_id", "position");

-- CreateIndex
CREATE INDEX "advisor_decisions_conversation_id_idx" ON "advisor_decisions"("conversation_id");

-- AddForeignKey
ALTER TABLE "advisor_promotions" ADD CONSTRAINT "advisor_promotions_copied_from_id_fkey" FOREIGN KEY ("copied_from_id") REFERENCES "advisor_promotions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "advisor_promotions" ADD CONSTRAINT "advisor_promotions_promoted_by_id_fkey" FOREIGN KEY ("promoted_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "advisor_decisions" ADD CONSTRAINT "advisor_decisions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "advisor_decisions" ADD CONSTRAINT "advisor_decisions_promotion_id_fkey" FOREIGN KEY ("promotion_id") REFERENCES "advisor_promotions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
