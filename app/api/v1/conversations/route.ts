import { listConversationsQuery } from "@/lib/conversations/conversations-schemas";
import { listConversations } from "@/lib/conversations/list-conversations";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/conversations?q=&cursor=&limit= – the workspace's conversations, latest first, with their 24-hour window
export const GET = withSession(async ({ request, db, session }) => {
  const query = listConversationsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listConversations(db, { workspaceId: session.workspaceId }, query));
});
