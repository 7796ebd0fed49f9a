import { after } from "next/server";
import { ok } from "@/lib/http/respond";
import { withWorkspaceCaller } from "@/lib/http/with-workspace-caller";
import { kickOutboxDrain } from "@/lib/outbound/drain-outbox";
import { outboundIdParams } from "@/lib/outbound/outbound-schemas";
import { retryOutboundMessage } from "@/lib/outbound/retry-outbound-messages";

// POST /api/v1/messages/{id}/retry – put a failed or dead send back in the queue (audit-logged)
export const POST = withWorkspaceCaller<{ id: string }>(async ({ params, caller, db }) => {
  const { id } = outboundIdParams.parse(params);
  const queued = await retryOutboundMessage(db, id, caller.actor);
  after(kickOutboxDrain);
  return ok({ data: queued });
});
