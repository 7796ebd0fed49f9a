-- AlterTable
ALTER TABLE "JobRun" DROP COLUMN "leaseUntil";
