import { after } from "next/server";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";
import { withWorkspaceCaller } from "@/lib/http/with-workspace-caller";
import { kickOutboxDrain } from "@/lib/outbound/drain-outbox";
import { retryAllBody } from "@/lib/outbound/outbound-schemas";
import { retryOutboundMessages } from "@/lib/outbound/retry-outbound-messages";

// POST /api/v1/messages/retry – put every failed and dead send of the workspace back in the queue (audit-logged)
export const POST = withWorkspaceCaller(async ({ request, caller, db }) => {
  const filter = retryAllBody.parse(await readJsonBody(request));
  const result = await retryOutboundMessages(db, caller.workspaceId, caller.actor, filter);
  if (result.retried > 0) after(kickOutboxDrain);
  return ok({ data: result });
});
