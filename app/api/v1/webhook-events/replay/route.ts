import { readJsonBody } from "@/lib/http/read-json-body";
import { withSession } from "@/lib/http/with-session";
import { replayFailedEvents } from "@/lib/webhooks/replay-failed-events";
import { replayAllBody } from "@/lib/webhooks/webhooks-schemas";
import { ok } from "@/lib/http/respond";

export const maxDuration = 60;

// POST /api/v1/webhook-events/replay – replay the workspace's failed and dead deliveries (a bounded batch per call)
export const POST = withSession(async ({ request, db, session }) => {
  const body = replayAllBody.parse(await readJsonBody(request));
  return ok({ data: await replayFailedEvents(db, { workspaceId: session.workspaceId }, session.email, body) });
});
