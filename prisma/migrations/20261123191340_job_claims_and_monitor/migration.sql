-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "runId" TEXT;

-- AlterTable
ALTER TABLE "WhatsAppConnection" ADD COLUMN     "lastMonitoredAt" TIMESTAMP(3);
