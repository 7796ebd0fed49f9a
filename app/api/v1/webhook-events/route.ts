import { withSession } from "@/lib/http/with-session";
import { listWebhookEvents } from "@/lib/webhooks/list-webhook-events";
import { listWebhookEventsQuery } from "@/lib/webhooks/webhooks-schemas";
import { ok } from "@/lib/http/respond";

// GET /api/v1/webhook-events?state=failed|dead&cursor= – the workspace's failed and dead deliveries
export const GET = withSession(async ({ request, db }) => {
  const query = listWebhookEventsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listWebhookEvents(db, query));
});
