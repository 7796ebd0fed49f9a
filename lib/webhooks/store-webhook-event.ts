import { createHash } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { parseEnvelope } from "@/lib/whatsapp/webhook-schema";

export type StoredWebhookEvent = { id: string; duplicate: boolean; needsProcessing: boolean };

/**
 * Writes a signed delivery durably; only after this returns may the route answer 200.
 * Identical re-deliveries collapse onto one row (unique body hash) and just bump its counter.
 * A malformed body is kept too, marked FAILED with the parse error and no automatic retry.
 */
export async function storeWebhookEvent(rawBody: Uint8Array): Promise<StoredWebhookEvent> {
  const bodySha256 = createHash("sha256").update(rawBody).digest("hex");
  const parsed = parseEnvelope(rawBody);
  const now = new Date();
  const row = await prisma.webhookEvent.upsert({
    where: { bodySha256 },
    create: {
      rawBody: Buffer.from(rawBody),
      bodySha256,
      signatureValid: true,
      receivedAt: now,
      lastReceivedAt: now,
      ...(parsed.ok
        ? { state: "PENDING" }
        : { state: "FAILED", errorKind: "MALFORMED", lastError: parsed.error, nextAttemptAt: null }),
    },
    update: { deliveries: { increment: 1 }, lastReceivedAt: now },
    select: { id: true, deliveries: true, state: true },
  });
  return { id: row.id, duplicate: row.deliveries > 1, needsProcessing: row.state === "PENDING" };
}
