-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "min_turn_labels" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "labeling_leases" (
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "labeling_leases_pkey" PRIMARY KEY ("conversation_id","reviewer_id")
);

-- CreateTable
CREATE TABLE "labeling_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "reviewers_per_turn" INTEGER NOT NULL DEFAULT 1,
    "blind_labeling" BOOLEAN,
    "updated_by_id" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labeling_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "labeling_leases_reviewer_id_idx" ON "labeling_leases"("reviewer_id");

-- AddForeignKey
ALTER TABLE "labeling_leases" ADD CONSTRAINT "labeling_leases_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labeling_leases" ADD CONSTRAINT "labeling_leases_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The queue's overlap lies between 1 and 10 reviewers per turn
ALTER TABLE "labeling_settings" ADD CONSTRAINT "labeling_settings_reviewers_per_turn_check" CHECK ("reviewers_per_turn" BETWEEN 1 AND 10);
ALTER TABLE "labeling_settings" ADD CONSTRAINT "labeling_settings_single_row_check" CHECK ("id" = 1);

-- The fewest labels of any decision turn, computed once for what is already stored
-- (lib/conversations/stats.ts keeps it from now on)
UPDATE conversations c SET min_turn_labels = s.n
FROM (
  SELECT m.conversation_id AS id, min(cnt.n) AS n
  FROM messages m
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM labels l WHERE l.message_id = m.id) cnt
  WHERE m.sender = 'recruiter' AND m.position > 0
  GROUP BY m.conversation_id
) s
WHERE c.id = s.id AND c.min_turn_labels IS DISTINCT FROM s.n;
