-- DropIndex
DROP INDEX "WhatsAppConnection_phoneNumberId_key";

-- DropIndex
DROP INDEX "WhatsAppConnection_workspaceId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "WhatsAppConnection_workspaceId_phoneNumberId_key" ON "WhatsAppConnection"("workspaceId", "phoneNumberId");

-- CreateIndex
CREATE UNIQUE INDEX "WhatsAppConnection_live_phoneNumberId_key" ON "WhatsAppConnection"("phoneNumberId") WHERE (status <> 'REMOVED');
