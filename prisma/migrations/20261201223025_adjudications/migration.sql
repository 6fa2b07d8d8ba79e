-- CreateTable
CREATE TABLE "adjudications" (
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "value" "LabelValue" NOT NULL,
    "note" TEXT NOT NULL,
    "adjudicated_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adjudications_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "adjudications_conversation_id_idx" ON "adjudications"("conversation_id");

-- CreateIndex
CREATE INDEX "label_events_reviewer_id_created_at_idx" ON "label_events"("reviewer_id", "created_at");

-- AddForeignKey
ALTER TABLE "adjudications" ADD CONSTRAINT "adjudications_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjudications" ADD CONSTRAINT "adjudications_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjudications" ADD CONSTRAINT "adjudications_adjudicated_by_id_fkey" FOREIGN KEY ("adjudicated_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
