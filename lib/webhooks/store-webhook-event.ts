import { createHash } from "node:crypto";
import { queryRows } from "@/lib/db/client";

const INSERT = `
  INSERT INTO "WebhookEvent" (id, "rawBody", "bodySha256", "signatureValid", "receivedAt", "lastReceivedAt", state, "nextAttemptAt")
  VALUES (gen_random_uuid()::text, $1, $2, true, now(), now(), 'PENDING', now())
  ON CONFLICT ("bodySha256") DO UPDATE SET deliveries = "WebhookEvent".deliveries + 1, "lastReceivedAt" = now()
  RETURNING id, state::text AS state, deliveries`;

export type StoredWebhookEvent = { id: string; duplicate: boolean; needsProcessing: boolean };

/**
 * Writes a signed delivery durably; only after this returns may the route answer 200.
 * One statement: identical re-deliveries collapse onto one row (unique body hash) and bump its
 * counter. Nothing is parsed here — the request path stays as cheap as the framework allows, and
 * processing flags a malformed body (FAILED, MALFORMED, with the parse error) right after.
 */
export async function storeWebhookEvent(rawBody: Uint8Array): Promise<StoredWebhookEvent> {
  const bodySha256 = createHash("sha256").update(rawBody).digest("hex");
  const [row] = await queryRows<{ id: string; state: string; deliveries: number }>(INSERT, [Buffer.from(rawBody), bodySha256]);
  if (!row) throw new Error("webhook insert returned no row");
  return { id: row.id, duplicate: row.deliveries > 1, needsProcessing: row.state === "PENDING" };
}
