-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "min_suggestion_confidence" DOUBLE PRECISION NOT NULL DEFAULT 'Infinity'::double precision;

-- CreateTable
CREATE TABLE "turn_suggestions" (
    "id" SERIAL NOT NULL,
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "promotion_id" INTEGER,
    "fine_tune_job_id" INTEGER,
    "value" "LabelValue",
    "confidence" DOUBLE PRECISION,
    "raw_output" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turn_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suggestion_requests" (
    "conversation_id" INTEGER NOT NULL,
    "requested_at" TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_until" TIMESTAMP(3),

    CONSTRAINT "suggestion_requests_pkey" PRIMARY KEY ("conversation_id")
);

-- CreateTable
CREATE TABLE "suggestion_backfills" (
    "id" SERIAL NOT NULL,
    "suggester" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "requested" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suggestion_backfills_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "turn_suggestions_conversation_id_model_idx" ON "turn_suggestions"("conversation_id", "model");

-- CreateIndex
CREATE UNIQUE INDEX "turn_suggestions_message_id_model_key" ON "turn_suggestions"("message_id", "model");

-- CreateIndex
CREATE INDEX "suggestion_requests_requested_at_conversation_id_idx" ON "suggestion_requests"("requested_at", "conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "suggestion_backfills_suggester_key" ON "suggestion_backfills"("suggester");

-- CreateIndex
CREATE INDEX "conversations_min_suggestion_confidence_id_idx" ON "conversations"("min_suggestion_confidence", "id");

-- AddForeignKey
ALTER TABLE "turn_suggestions" ADD CONSTRAINT "turn_suggestions_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_suggestions" ADD CONSTRAINT "turn_suggestions_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suggestion_requests" ADD CONSTRAINT "suggestion_requests_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
