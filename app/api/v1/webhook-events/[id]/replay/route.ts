import { withAdmin } from "@/lib/http/with-admin";
import { replayWebhookEvent } from "@/lib/webhooks/replay-webhook-event";

// POST /api/v1/webhook-events/{id}/replay – reprocess a failed or dead delivery (admin; owners get it with the dashboard)
export const POST = withAdmin<{ id: string }>(async ({ params, actor }) => Response.json({ success: true, data: await replayWebhookEvent(params.id, actor) }));
