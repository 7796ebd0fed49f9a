import { AppError } from "@/lib/http/app-error";
import type { OutboundMessageView } from "@/lib/outbound/outbound-schemas";
import { OUTBOUND_SELECT, toOutboundView } from "@/lib/outbound/outbound-view";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** One send of the workspace, with its delivery status (404 for another workspace's). */
export async function getOutboundMessage(db: ScopedDb, id: string): Promise<OutboundMessageView> {
  const row = await db.outboundMessage.findFirst({ where: { id }, select: OUTBOUND_SELECT });
  if (!row) throw new AppError("not_found", "Message not found");
  const message = row.messageId
    ? await db.message.findFirst({ where: { id: row.messageId }, select: { status: true, errorCode: true, errorTitle: true, errorDetails: true } })
    : null;
  return toOutboundView(row, message);
}
