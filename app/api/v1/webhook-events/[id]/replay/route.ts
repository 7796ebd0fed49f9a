import { withAdminOrSession } from "@/lib/http/with-admin-or-session";
import { replayWebhookEvent } from "@/lib/webhooks/replay-webhook-event";
import { webhookEventIdParams } from "@/lib/webhooks/webhooks-schemas";
import { ok } from "@/lib/http/respond";

// POST /api/v1/webhook-events/{id}/replay – reprocess a failed or dead delivery (an admin: any; an owner: its workspace's)
export const POST = withAdminOrSession<{ id: string }>(async ({ params, actor, scope }) => {
  const { id } = webhookEventIdParams.parse(params);
  return ok({ data: await replayWebhookEvent(id, actor, scope) });
});
