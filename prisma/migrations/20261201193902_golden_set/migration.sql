-- CreateEnum
CREATE TYPE "DatasetKind" AS ENUM ('labels', 'golden');

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "is_golden" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "kind" "DatasetKind" NOT NULL DEFAULT 'labels';

-- AlterTable
ALTER TABLE "dataset_versions" ADD COLUMN     "source_hash" TEXT;

-- AlterTable
ALTER TABLE "eval_runs" ADD COLUMN     "golden_of_run_id" INTEGER,
ADD COLUMN     "trained_overlap" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "eval_runs_golden_of_run_id_key" ON "eval_runs"("golden_of_run_id");

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_golden_of_run_id_fkey" FOREIGN KEY ("golden_of_run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
