import type { Logger } from "pino";
import { env } from "@/lib/env";
import { fail, toErrorResponse } from "@/lib/http/respond";
import { readBody } from "@/lib/http/read-body";
import { withRequestId } from "@/lib/http/request-id";
import { scopedLogger } from "@/lib/log/logger";
import { verifySignature } from "@/lib/whatsapp/verify-signature";

// Meta's payloads reach ~3 MB; anything far larger is not from Meta. Meta sends the whole body at
// once: one that trickles in for seconds is not Meta either.
const BODY_LIMITS = { maxBytes: 8 * 1024 * 1024, timeoutMs: 10_000 };

type SignedHandler = (ctx: { rawBody: Uint8Array; log: Logger; requestId: string }) => Promise<Response>;

/**
 * The wrapper for Meta's webhook calls: reads the raw bytes, checks X-Hub-Signature-256 over them
 * in constant time, and only then calls the handler. Unsigned or wrongly signed → 401 before
 * anything is stored. Any error thrown later maps to the one envelope (database down → 503).
 */
export function withMetaSignature(handler: SignedHandler) {
  return withRequestId(async (request: Request, requestId: string): Promise<Response> => {
    const log = scopedLogger({ requestId, route: "webhooks.whatsapp" });
    try {
      if (!env.WHATSAPP_APP_SECRET) {
        log.error("WHATSAPP_APP_SECRET is not set: refusing webhook deliveries");
        return fail("unavailable", "Webhook signature secret is not configured");
      }
      const rawBody = await readBody(request, BODY_LIMITS);
      if (!verifySignature(rawBody, request.headers.get("x-hub-signature-256"), env.WHATSAPP_APP_SECRET)) {
        log.warn({ bytes: rawBody.byteLength }, "webhook signature missing or invalid");
        return fail("unauthorized", "Missing or invalid X-Hub-Signature-256");
      }
      return await handler({ rawBody, log, requestId });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}
