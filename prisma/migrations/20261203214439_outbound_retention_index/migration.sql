-- CreateIndex
CREATE INDEX "OutboundMessage_state_createdAt_idx" ON "OutboundMessage"("state", "createdAt");
