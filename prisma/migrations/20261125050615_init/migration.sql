-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('reviewer', 'ml_lead', 'admin');

-- CreateEnum
CREATE TYPE "Sender" AS ENUM ('recruiter', 'candidate');

-- CreateEnum
CREATE TYPE "LabelValue" AS ENUM ('END', 'CONTINUE', 'SCHEDULE');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" "Role" NOT NULL DEFAULT 'reviewer',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "token" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "user_id" TEXT NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "id_token" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "refresh_token_expires_at" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verifications" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "candidate_name" TEXT,
    "job_title" TEXT,
    "last_activity_at" TIMESTAMP(3) NOT NULL,
    "recruiter_turns" INTEGER NOT NULL DEFAULT 0,
    "labeled_turns" INTEGER NOT NULL DEFAULT 0,
    "end_turns" INTEGER NOT NULL DEFAULT 0,
    "schedule_turns" INTEGER NOT NULL DEFAULT 0,
    "reviewer_count" INTEGER NOT NULL DEFAULT 0,
    "search" tsvector,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" SERIAL NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "sender" "Sender" NOT NULL,
    "text" TEXT NOT NULL,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "labels" (
    "id" SERIAL NOT NULL,
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "value" "LabelValue" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "label_events" (
    "id" BIGSERIAL NOT NULL,
    "message_id" INTEGER NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "from_value" "LabelValue",
    "to_value" "LabelValue",
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "label_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_reviewers" (
    "conversation_id" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "labeled_turns" INTEGER NOT NULL,
    "last_labeled_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversation_reviewers_pkey" PRIMARY KEY ("conversation_id","reviewer_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_key" ON "sessions"("token");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE INDEX "verifications_identifier_idx" ON "verifications"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_external_id_key" ON "conversations"("external_id");

-- CreateIndex
CREATE INDEX "conversations_last_activity_at_id_idx" ON "conversations"("last_activity_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_search_idx" ON "conversations" USING GIN ("search");

-- CreateIndex
CREATE UNIQUE INDEX "messages_conversation_id_position_key" ON "messages"("conversation_id", "position");

-- CreateIndex
CREATE INDEX "labels_conversation_id_reviewer_id_idx" ON "labels"("conversation_id", "reviewer_id");

-- CreateIndex
CREATE INDEX "labels_reviewer_id_idx" ON "labels"("reviewer_id");

-- CreateIndex
CREATE UNIQUE INDEX "labels_message_id_reviewer_id_key" ON "labels"("message_id", "reviewer_id");

-- CreateIndex
CREATE INDEX "label_events_message_id_idx" ON "label_events"("message_id");

-- CreateIndex
CREATE INDEX "label_events_conversation_id_idx" ON "label_events"("conversation_id");

-- CreateIndex
CREATE INDEX "conversation_reviewers_reviewer_id_conversation_id_idx" ON "conversation_reviewers"("reviewer_id", "conversation_id");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_reviewers" ADD CONSTRAINT "conversation_reviewers_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
