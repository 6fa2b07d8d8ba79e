-- An eval run sent as provider batches (Batch API) remembers the batches in flight, so a worker
-- that restarts picks them up instead of sending the examples again.

-- AlterTable
ALTER TABLE "eval_runs" ADD COLUMN "provider_batch_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];
