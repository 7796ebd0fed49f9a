import { queryRows } from "@/lib/db/client";
import type { OutboxPayload } from "@/lib/outbound/outbox-queue";

// The conversation's copy of a send Graph accepted: an OUTBOUND Message with the same wamid, PENDING
// until the status webhooks move it (the inbox's fold). Once per wamid (unique); the conversation's
// preview moves only when this call stored it.
const INSERT = `
  WITH ins AS (
    INSERT INTO "Message" (id, "workspaceId", "connectionId", "conversationId", "contactId", wamid, direction, type, text, content, status, timestamp, "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, $1::text, $2::text, $3::text, $4::text, $5::text, 'OUTBOUND', $6::text, $7::text, $8::jsonb, 'PENDING', now(), now(), now())
    ON CONFLICT (wamid) DO NOTHING
    RETURNING id
  ), conv AS (
    UPDATE "Conversation" SET "lastMessageAt" = GREATEST("lastMessageAt", now()), "lastMessageText" = $7::text, "updatedAt" = now()
    WHERE id = $3::text AND EXISTS (SELECT 1 FROM ins)
  )
  SELECT id FROM ins UNION ALL SELECT id FROM "Message" WHERE wamid = $5::text LIMIT 1`;

/**
 * Stores the conversation's message for a sent row (or finds it); its id. Statuses that arrived before
 * it are folded in by the caller (foldStatusEvents), once for a whole batch.
 */
export async function recordOutboundMessage(row: OutboxPayload & { id: string }, wamid: string): Promise<string> {
  const content = { type: row.type, [row.type]: row.body, ...(row.replyToWamid ? { context: { message_id: row.replyToWamid } } : {}), outboundId: row.id };
  const [message] = await queryRows<{ id: string }>(INSERT, [row.workspaceId, row.connectionId, row.conversationId, row.contactId, wamid, row.type, previewText(row), JSON.stringify(content)]);
  if (!message) throw new Error(`message for ${wamid} neither stored nor found`);
  return message.id;
}

function previewText(row: OutboxPayload): string {
  const body = row.body && typeof row.body === "object" ? (row.body as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
  switch (row.type) {
    case "text":
      return text(body.body) ?? "";
    case "template":
      return `[template ${text(body.name) ?? ""}]`.replace(" ]", "]");
    case "audio":
      return "[audio]";
    default:
      return text(body.caption) ?? text(body.filename) ?? `[${row.type}]`;
  }
}
