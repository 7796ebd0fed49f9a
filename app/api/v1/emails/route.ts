import { listOutboxQuery } from "@/lib/alerts/alerts-schemas";
import { listOutbox } from "@/lib/alerts/list-outbox";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/emails?cursor= – the workspace's alert emails that were not sent (outbox without SMTP, or refused)
export const GET = withSession(async ({ request, db }) => {
  const query = listOutboxQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listOutbox(db, query));
});
