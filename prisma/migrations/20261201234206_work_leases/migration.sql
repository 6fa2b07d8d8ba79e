-- CreateTable
CREATE TABLE "work_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "note" TEXT,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_leases_pkey" PRIMARY KEY ("name")
);
