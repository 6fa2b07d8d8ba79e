-- CreateEnum
CREATE TYPE "TurnFlagReason" AS ENUM ('unclear', 'needs_context', 'bad_data');

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "sequence_problem_turns" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "label_events" ADD COLUMN     "change_seq" BIGINT,
ADD COLUMN     "undone_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "turn_skips" (
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turn_skips_pkey" PRIMARY KEY ("message_id","reviewer_id")
);

-- CreateTable
CREATE TABLE "turn_flags" (
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "reason" "TurnFlagReason" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turn_flags_pkey" PRIMARY KEY ("message_id","reviewer_id")
);

-- CreateTable
CREATE TABLE "turn_comments" (
    "id" SERIAL NOT NULL,
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "author_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turn_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "turn_mark_events" (
    "id" BIGSERIAL NOT NULL,
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_value" TEXT,
    "to_value" TEXT,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_seq" BIGINT,
    "undone_at" TIMESTAMP(3),

    CONSTRAINT "turn_mark_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "turn_skips_reviewer_id_conversation_id_idx" ON "turn_skips"("reviewer_id", "conversation_id");

-- CreateIndex
CREATE INDEX "turn_skips_conversation_id_idx" ON "turn_skips"("conversation_id");

-- CreateIndex
CREATE INDEX "turn_flags_conversation_id_idx" ON "turn_flags"("conversation_id");

-- CreateIndex
CREATE INDEX "turn_comments_message_id_id_idx" ON "turn_comments"("message_id", "id");

-- CreateIndex
CREATE INDEX "turn_comments_conversation_id_idx" ON "turn_comments"("conversation_id");

-- CreateIndex
CREATE INDEX "turn_mark_events_message_id_idx" ON "turn_mark_events"("message_id");

-- CreateIndex
CREATE INDEX "turn_mark_events_conversation_id_reviewer_id_change_seq_idx" ON "turn_mark_events"("conversation_id", "reviewer_id", "change_seq" DESC);

-- CreateIndex
CREATE INDEX "label_events_conversation_id_reviewer_id_change_seq_idx" ON "label_events"("conversation_id", "reviewer_id", "change_seq" DESC);

-- AddForeignKey
ALTER TABLE "turn_skips" ADD CONSTRAINT "turn_skips_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_skips" ADD CONSTRAINT "turn_skips_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_skips" ADD CONSTRAINT "turn_skips_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_flags" ADD CONSTRAINT "turn_flags_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_flags" ADD CONSTRAINT "turn_flags_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_flags" ADD CONSTRAINT "turn_flags_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_comments" ADD CONSTRAINT "turn_comments_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_comments" ADD CONSTRAINT "turn_comments_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "turn_comments" ADD CONSTRAINT "turn_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One order for every reviewer change across label_events and turn_mark_events (what undo
-- walks back), taken after the conversation lock so it is the order the changes committed in
CREATE SEQUENCE "turn_change_seq" AS BIGINT;

-- The "Sequence problems" list filter: such conversations are rare, so without this index a
-- page would walk most of the list to find 50 of them. (Written here by hand: the schema
-- language has no partial indexes, and later migrations diff schema files, so they keep it.)
CREATE INDEX "conversations_sequence_problems_idx" ON "conversations" ("last_activity_at" DESC, "id" DESC) WHERE "sequence_problem_turns" > 0;

-- Sequence problems of the conversations already labeled (lib/labeling/sequence-checks-sql.ts keeps them from now on)
UPDATE conversations c SET sequence_problem_turns = n.turns
  FROM (
    SELECT ids.id, coalesce(p.turns, 0) AS turns
    FROM unnest((SELECT coalesce(array_agg(id), '{}') FROM conversations)::int[]) AS ids(id)
    LEFT JOIN (SELECT conversation_id, count(*)::int AS turns FROM (
  WITH ordered AS (
    SELECT m.id, m.conversation_id, m.position, m.sender,
           lag(m.sender) OVER w AS prev_sender,
           CASE WHEN m.sender = 'candidate' OR lag(m.id) OVER w IS NULL OR m.sent_at IS NULL OR lag(m.sent_at) OVER w IS NULL
                     OR m.sent_at - lag(m.sent_at) OVER w >= interval '3600000 milliseconds' THEN 1 ELSE 0 END AS run_break
    FROM messages m WHERE m.conversation_id = ANY((SELECT coalesce(array_agg(id), '{}') FROM conversations)::int[])
    WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.position)
  ), lab AS (
    -- By conversation (an index), never a join over the whole labels table.
    SELECT l.message_id, l.reviewer_id, l.value FROM labels l WHERE l.conversation_id = ANY((SELECT coalesce(array_agg(id), '{}') FROM conversations)::int[])
  ), segs AS (
    SELECT o.*, sum(CASE WHEN o.sender = 'candidate' THEN 1 ELSE 0 END) OVER w AS cand_seg, sum(o.run_break) OVER w AS run_seg
    FROM ordered o WINDOW w AS (PARTITION BY o.conversation_id ORDER BY o.position)
  ), turns AS (
    SELECT s.id, s.conversation_id, s.position, s.cand_seg, s.prev_sender,
           count(l.value) > 0 AS labeled, coalesce(bool_or(l.value = 'END'), false) AS has_end, coalesce(bool_or(l.value = 'SCHEDULE'), false) AS has_schedule
    FROM segs s LEFT JOIN lab l ON l.message_id = s.id
    WHERE s.sender = 'recruiter'
    GROUP BY s.id, s.conversation_id, s.position, s.cand_seg, s.prev_sender
  ), turn_rules AS (
    SELECT t.*,
           coalesce(bool_or(t.has_end) OVER (PARTITION BY t.conversation_id, t.cand_seg ORDER BY t.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS end_before,
           lag(t.has_schedule) OVER (PARTITION BY t.conversation_id ORDER BY t.position) AS prev_turn_schedule
    FROM turns t
  ), own AS (
    SELECT s.conversation_id, l.message_id, l.value::text AS v,
           min(l.value::text) OVER r AS lo, max(l.value::text) OVER r AS hi
    FROM lab l JOIN segs s ON s.id = l.message_id AND s.sender = 'recruiter'
    WINDOW r AS (PARTITION BY s.conversation_id, s.run_seg, l.reviewer_id ORDER BY s.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  )
  SELECT conversation_id, id AS message_id FROM turn_rules
   WHERE (labeled AND end_before) OR (has_end AND prev_sender = 'recruiter' AND prev_turn_schedule)
  UNION
  SELECT conversation_id, message_id FROM own WHERE lo IS NOT NULL AND (lo <> v OR hi <> v)) x GROUP BY conversation_id) p ON p.conversation_id = ids.id
  ) n
  WHERE c.id = n.id AND c.sequence_problem_turns <> n.turns;
