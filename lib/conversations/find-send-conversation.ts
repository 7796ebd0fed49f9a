import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** The conversation a send of the workspace belongs to (a template to a new number creates it when queued). */
export async function findSendConversation(db: ScopedDb, sendId: string): Promise<string> {
  const row = await db.outboundMessage.findFirst({ where: { id: sendId }, select: { conversationId: true } });
  if (!row) throw new AppError("not_found", "Message not found");
  return row.conversationId;
}
