import { conversationIdParams } from "@/lib/conversations/conversations-schemas";
import { getConversationOrThrow } from "@/lib/conversations/get-conversation-or-throw";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/conversations/{id} – one conversation: contact, number, last message, 24-hour window
export const GET = withSession<{ id: string }>(async ({ params, db }) => {
  const { id } = conversationIdParams.parse(params);
  return ok({ data: await getConversationOrThrow(db, id) });
});
