import { prisma } from "@/lib/db/client";
import { describeMessage } from "@/lib/messages/describe-message";
import type { WebhookMessage } from "@/lib/whatsapp/webhook-schema";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export type InboundContext = { workspaceId: string; connectionId: string; profileName?: string };
export type RecordedMessage = { id: string; isNew: boolean; conversationId: string; contactId: string; timestamp: Date };

type Ids = { contact_id: string; conversation_id: string };
type Inserted = { id: string | null; existing_id: string | null };

/**
 * Stores one inbound message exactly once (unique wamid) with its contact and conversation, and
 * opens or extends the 24-hour customer-service window from the message's own timestamp.
 *
 * Two statements, each atomic on its own (this is the hot path: no interactive transaction):
 * 1. upsert the contact and the conversation;
 * 2. insert the message, and only if it is new bump the conversation and write the activity event.
 * Safe to run again for the same message: the insert skips, GREATEST keeps the window right whatever
 * order messages arrive in, and the counter only moves with a new row.
 */
export async function recordInboundMessage(ctx: InboundContext, message: WebhookMessage): Promise<RecordedMessage> {
  const timestamp = new Date(Number(message.timestamp) * 1000);
  const text = describeMessage(message);
  const opensWindow = message.type !== "system";
  const windowEnd = new Date(timestamp.getTime() + WINDOW_MS);
  const summary = `${message.type} message from ${ctx.profileName ?? message.from}`;
  const activityData = JSON.stringify({ wamid: message.id, type: message.type, text });

  const [ids] = await prisma.$queryRaw<Ids[]>`
    WITH contact AS (
      INSERT INTO "Contact" (id, "workspaceId", "waId", "profileName", "createdAt", "updatedAt")
      VALUES (gen_random_uuid()::text, ${ctx.workspaceId}, ${message.from}, ${ctx.profileName ?? null}, now(), now())
      ON CONFLICT ("workspaceId", "waId") DO UPDATE
        SET "profileName" = COALESCE(EXCLUDED."profileName", "Contact"."profileName"),
            "updatedAt" = CASE WHEN EXCLUDED."profileName" IS DISTINCT FROM "Contact"."profileName" THEN now() ELSE "Contact"."updatedAt" END
      RETURNING id
    )
    INSERT INTO "Conversation" (id, "workspaceId", "connectionId", "contactId", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, ${ctx.workspaceId}, ${ctx.connectionId}, contact.id, now(), now() FROM contact
    ON CONFLICT ("connectionId", "contactId") DO UPDATE SET "contactId" = EXCLUDED."contactId"
    RETURNING "contactId" AS contact_id, id AS conversation_id`;
  if (!ids) throw new Error("contact/conversation upsert returned no row");

  const [row] = await prisma.$queryRaw<Inserted[]>`
    WITH msg AS (
      INSERT INTO "Message" (id, "workspaceId", "connectionId", "conversationId", "contactId", wamid, direction, type, text, content, status, timestamp, "createdAt", "updatedAt")
      VALUES (gen_random_uuid()::text, ${ctx.workspaceId}, ${ctx.connectionId}, ${ids.conversation_id}, ${ids.contact_id}, ${message.id},
              'INBOUND', ${message.type}, ${text}, ${JSON.stringify(message)}::jsonb, 'RECEIVED', ${timestamp}, now(), now())
      ON CONFLICT (wamid) DO NOTHING
      RETURNING id
    ), bump AS (
      UPDATE "Conversation" SET
        "messageCount" = "messageCount" + 1,
        "lastMessageText" = CASE WHEN "lastMessageAt" IS NULL OR "lastMessageAt" <= ${timestamp} THEN ${text} ELSE "lastMessageText" END,
        "lastMessageAt" = GREATEST("lastMessageAt", ${timestamp}),
        "lastInboundAt" = CASE WHEN ${opensWindow} THEN GREATEST("lastInboundAt", ${timestamp}) ELSE "lastInboundAt" END,
        "windowExpiresAt" = CASE WHEN ${opensWindow} THEN GREATEST("windowExpiresAt", ${windowEnd}) ELSE "windowExpiresAt" END,
        "updatedAt" = now()
      WHERE id = ${ids.conversation_id} AND EXISTS (SELECT 1 FROM msg)
    ), activity AS (
      INSERT INTO "ActivityEvent" (id, "workspaceId", "connectionId", type, summary, data, "dedupeKey", "createdAt")
      SELECT gen_random_uuid()::text, ${ctx.workspaceId}, ${ctx.connectionId}, 'message.received', ${summary},
             jsonb_set(${activityData}::jsonb, '{conversationId}', to_jsonb(${ids.conversation_id}::text)), ${`message.received:${message.id}`}, now()
      FROM msg
      ON CONFLICT ("dedupeKey") DO NOTHING
    )
    SELECT (SELECT id FROM msg) AS id, (SELECT id FROM "Message" WHERE wamid = ${message.id}) AS existing_id`;
  // A concurrent insert of the same wamid that committed after this statement's snapshot is
  // invisible to it: look again in a fresh statement.
  const id =
    row?.id ?? row?.existing_id ?? (await prisma.message.findUnique({ where: { wamid: message.id }, select: { id: true } }))?.id;
  if (!id) throw new Error("message insert returned no row");
  return { id, isNew: Boolean(row?.id), conversationId: ids.conversation_id, contactId: ids.contact_id, timestamp };
}
