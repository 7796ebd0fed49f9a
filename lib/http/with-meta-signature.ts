import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { env } from "@/lib/env";
import { errorJson, toErrorResponse } from "@/lib/http/error-response";
import { scopedLogger } from "@/lib/log/logger";
import { verifySignature } from "@/lib/whatsapp/verify-signature";

// Meta's payloads reach ~3 MB; anything far larger is not from Meta.
const MAX_BODY_BYTES = 8 * 1024 * 1024;

type SignedHandler = (ctx: { rawBody: Uint8Array; log: Logger; requestId: string }) => Promise<Response>;

/**
 * The wrapper for Meta's webhook calls: reads the raw bytes, checks X-Hub-Signature-256 over them
 * in constant time, and only then calls the handler. Unsigned or wrongly signed → 401 before
 * anything is stored. Any error thrown later maps to the one error shape (database down → 503).
 */
export function withMetaSignature(handler: SignedHandler) {
  return async (request: Request): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const log = scopedLogger({ requestId, route: "webhooks.whatsapp" });
    try {
      if (!env.WHATSAPP_APP_SECRET) {
        log.error("WHATSAPP_APP_SECRET is not set: refusing webhook deliveries");
        return errorJson("unavailable", "Webhook signature secret is not configured", 503);
      }
      if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
        return errorJson("payload_too_large", "Body too large", 413);
      }
      const rawBody = new Uint8Array(await request.arrayBuffer());
      if (rawBody.byteLength > MAX_BODY_BYTES) return errorJson("payload_too_large", "Body too large", 413);
      if (!verifySignature(rawBody, request.headers.get("x-hub-signature-256"), env.WHATSAPP_APP_SECRET)) {
        log.warn({ bytes: rawBody.byteLength }, "webhook signature missing or invalid");
        return errorJson("unauthorized", "Missing or invalid X-Hub-Signature-256", 401);
      }
      return await handler({ rawBody, log, requestId });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  };
}
