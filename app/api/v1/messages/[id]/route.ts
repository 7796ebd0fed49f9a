import { ok } from "@/lib/http/respond";
import { withWorkspaceCaller } from "@/lib/http/with-workspace-caller";
import { getOutboundMessage } from "@/lib/outbound/get-outbound-message";
import { outboundIdParams } from "@/lib/outbound/outbound-schemas";

// GET /api/v1/messages/{id} – one send: status (QUEUED → … → READ, FAILED, DEAD), wamid, attempts, Meta's error
export const GET = withWorkspaceCaller<{ id: string }>(async ({ params, db }) => {
  const { id } = outboundIdParams.parse(params);
  return ok({ data: await getOutboundMessage(db, id) });
});
