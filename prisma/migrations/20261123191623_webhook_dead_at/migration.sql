-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "WebhookEvent_state_deadAt_idx" ON "WebhookEvent"("state", "deadAt");
