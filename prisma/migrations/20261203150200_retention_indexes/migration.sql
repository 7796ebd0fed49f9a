-- DropIndex
DROP INDEX "MessageStatusEvent_appliedAt_idx";

-- CreateIndex
CREATE INDEX "ActivityEvent_createdAt_idx" ON "ActivityEvent"("createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_createdAt_idx" ON "EmailMessage"("createdAt");

-- CreateIndex
CREATE INDEX "MessageStatusEvent_appliedAt_createdAt_idx" ON "MessageStatusEvent"("appliedAt", "createdAt");
