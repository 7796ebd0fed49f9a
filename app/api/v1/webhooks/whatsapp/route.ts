import { after } from "next/server";
import { env } from "@/lib/env";
import { fail, ok } from "@/lib/http/respond";
import { withMetaSignature } from "@/lib/http/with-meta-signature";
import { withRequestId } from "@/lib/http/request-id";
import { kickInboxDrain } from "@/lib/webhooks/drain-inbox";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { verifyHandshake } from "@/lib/whatsapp/verify-handshake";

export const maxDuration = 60;

// GET /api/v1/webhooks/whatsapp – Meta's subscription handshake (the challenge goes back as text/plain: Meta's contract)
export const GET = withRequestId((request) => {
  const challenge = verifyHandshake(new URL(request.url).searchParams, env.WHATSAPP_VERIFY_TOKEN);
  if (challenge === null) return fail("forbidden", "Not a valid subscription handshake: check hub.mode, hub.challenge and the verify token");
  return new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
});

// POST /api/v1/webhooks/whatsapp – store a signed delivery, answer 200, then drain what is due
export const POST = withMetaSignature(async ({ rawBody }) => {
  const event = await storeWebhookEvent(rawBody);
  if (event.needsProcessing) after(kickInboxDrain);
  return ok({ data: { received: true } });
});
