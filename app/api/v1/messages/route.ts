import { after } from "next/server";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";
import { withWorkspaceCaller } from "@/lib/http/with-workspace-caller";
import { kickOutboxDrain } from "@/lib/outbound/drain-outbox";
import { enqueueSend } from "@/lib/outbound/enqueue-send";
import { listOutboundMessages } from "@/lib/outbound/list-outbound-messages";
import { idempotencyKeyHeader, listOutboundQuery, sendMessageBody } from "@/lib/outbound/outbound-schemas";

export const maxDuration = 60;

// POST /api/v1/messages – queue a message (text, template, media); 202 once it is stored, sent right after
export const POST = withWorkspaceCaller(async ({ request, caller, db }) => {
  const key = request.headers.get("idempotency-key");
  const idempotencyKey = key === null ? null : idempotencyKeyHeader.parse(key);
  const body = sendMessageBody.parse(await readJsonBody(request));
  const queued = await enqueueSend(db, caller, body, idempotencyKey);
  after(kickOutboxDrain);
  return ok({ data: queued }, { status: 202 });
});

// GET /api/v1/messages?state=&connectionId=&cursor=&limit= – the workspace's sends, newest first
export const GET = withWorkspaceCaller(async ({ request, db }) => {
  const query = listOutboundQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listOutboundMessages(db, query));
});
