-- DropIndex
DROP INDEX "WebhookEvent_receivedAt_idx";

-- DropIndex
DROP INDEX "WebhookEvent_state_nextAttemptAt_idx";

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "progress" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "WebhookEvent_nextAttemptAt_idx" ON "WebhookEvent"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_state_receivedAt_idx" ON "WebhookEvent"("state", "receivedAt");

-- A claimed row is due again when its lease ends (lib/queue/claim-batch.ts).
UPDATE "WebhookEvent" SET "nextAttemptAt" = "leaseUntil" WHERE state = 'PROCESSING';
