import type { ConversationDetail } from "@/lib/conversations/conversations-schemas";
import { conversationSelect, toConversationDetail } from "@/lib/conversations/conversation-view";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** One of the workspace's conversations; another workspace's (or no) conversation is "not found". */
export async function getConversationOrThrow(db: ScopedDb, id: string): Promise<ConversationDetail> {
  const row = await db.conversation.findFirst({ where: { id }, select: conversationSelect });
  if (!row) throw new AppError("not_found", "Conversation not found");
  return toConversationDetail(row, new Date());
}
