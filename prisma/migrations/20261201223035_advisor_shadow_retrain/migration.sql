-- CreateTable
CREATE TABLE "advisor_shadows" (
    "id" SERIAL NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "timeout_ms" INTEGER NOT NULL,
    "instructions" TEXT NOT NULL,
    "context" JSONB NOT NULL,
    "dataset_version_id" INTEGER,
    "fine_tune_job_id" INTEGER,
    "note" TEXT,
    "attached_by_id" TEXT NOT NULL,
    "attached_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detached_by_id" TEXT,
    "detached_at" TIMESTAMP(3),
    "dropped_calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "advisor_shadows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advisor_shadow_decisions" (
    "id" BIGSERIAL NOT NULL,
    "decision_id" BIGINT NOT NULL,
    "shadow_id" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "decision" "LabelValue",
    "confidence" DOUBLE PRECISION,
    "latency_ms" INTEGER,
    "fell_back" BOOLEAN NOT NULL DEFAULT false,
    "fallback_reason" TEXT,
    "fallback_detail" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advisor_shadow_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advisor_retrains" (
    "id" SERIAL NOT NULL,
    "promotion_id" INTEGER NOT NULL,
    "source_version_id" INTEGER NOT NULL,
    "source_fine_tune_job_id" INTEGER NOT NULL,
    "dataset_version_id" INTEGER NOT NULL,
    "fine_tune_job_id" INTEGER,
    "error" TEXT,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advisor_retrains_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "advisor_shadows_detached_at_idx" ON "advisor_shadows"("detached_at");

-- CreateIndex
CREATE INDEX "advisor_shadow_decisions_shadow_id_decision_id_idx" ON "advisor_shadow_decisions"("shadow_id", "decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "advisor_shadow_decisions_decision_id_shadow_id_key" ON "advisor_shadow_decisions"("decision_id", "shadow_id");

-- CreateIndex
CREATE UNIQUE INDEX "advisor_retrains_fine_tune_job_id_key" ON "advisor_retrains"("fine_tune_job_id");

-- CreateIndex
CREATE INDEX "advisor_retrains_created_at_idx" ON "advisor_retrains"("created_at" DESC);

-- AddForeignKey
ALTER TABLE "advisor_shadow_decisions" ADD CONSTRAINT "advisor_shadow_decisions_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "advisor_decisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "advisor_shadow_decisions" ADD CONSTRAINT "advisor_shadow_decisions_shadow_id_fkey" FOREIGN KEY ("shadow_id") REFERENCES "advisor_shadows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one shadow is attached at a time (two ML leads attaching at once cannot both win)
CREATE UNIQUE INDEX "advisor_shadows_one_attached" ON "advisor_shadows" ((true)) WHERE "detached_at" IS NULL;
