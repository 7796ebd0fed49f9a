import { conversationIdParams, listMessagesQuery } from "@/lib/conversations/conversations-schemas";
import { listMessages } from "@/lib/conversations/list-messages";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/conversations/{id}/messages?cursor=&limit= – messages in order with statuses, newest page first
export const GET = withSession<{ id: string }>(async ({ request, params, db }) => {
  const { id } = conversationIdParams.parse(params);
  const query = listMessagesQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listMessages(db, id, query));
});
