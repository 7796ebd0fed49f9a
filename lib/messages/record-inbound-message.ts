import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { describeMessage } from "@/lib/messages/describe-message";
import type { WebhookMessage } from "@/lib/whatsapp/webhook-schema";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export type InboundContext = { workspaceId: string; connectionId: string; profileName?: string };
export type RecordedMessage = { id: string; isNew: boolean; conversationId: string; contactId: string; timestamp: Date };

/**
 * Stores one inbound message exactly once (unique wamid) with its contact and conversation, and
 * opens or extends the 24-hour customer-service window from the message's own timestamp.
 * Safe to run again for the same message: the insert skips, GREATEST/LEAST keep the window right
 * whatever order messages arrive in, and the counter only moves when the row is new.
 */
export async function recordInboundMessage(ctx: InboundContext, message: WebhookMessage): Promise<RecordedMessage> {
  const timestamp = new Date(Number(message.timestamp) * 1000);
  const text = describeMessage(message);
  const opensWindow = message.type !== "system";

  return prisma.$transaction(async (tx) => {
    const contact = await tx.contact.upsert({
      where: { workspaceId_waId: { workspaceId: ctx.workspaceId, waId: message.from } },
      create: { workspaceId: ctx.workspaceId, waId: message.from, profileName: ctx.profileName },
      update: ctx.profileName ? { profileName: ctx.profileName } : {},
      select: { id: true },
    });
    const conversation = await tx.conversation.upsert({
      where: { connectionId_contactId: { connectionId: ctx.connectionId, contactId: contact.id } },
      create: { workspaceId: ctx.workspaceId, connectionId: ctx.connectionId, contactId: contact.id },
      update: {},
      select: { id: true },
    });
    const inserted = await tx.message.createManyAndReturn({
      data: {
        workspaceId: ctx.workspaceId,
        connectionId: ctx.connectionId,
        conversationId: conversation.id,
        contactId: contact.id,
        wamid: message.id,
        direction: "INBOUND",
        type: message.type,
        text,
        content: message as Prisma.InputJsonValue,
        status: "RECEIVED",
        timestamp,
      },
      skipDuplicates: true,
      select: { id: true },
    });
    const isNew = inserted.length === 1;
    const id = inserted[0]?.id ?? (await tx.message.findUniqueOrThrow({ where: { wamid: message.id }, select: { id: true } })).id;

    if (isNew) {
      const windowEnd = new Date(timestamp.getTime() + WINDOW_MS);
      await tx.$executeRaw`
        UPDATE "Conversation" SET
          "messageCount" = "messageCount" + 1,
          "lastMessageText" = CASE WHEN "lastMessageAt" IS NULL OR "lastMessageAt" <= ${timestamp} THEN ${text} ELSE "lastMessageText" END,
          "lastMessageAt" = GREATEST("lastMessageAt", ${timestamp}),
          "lastInboundAt" = CASE WHEN ${opensWindow} THEN GREATEST("lastInboundAt", ${timestamp}) ELSE "lastInboundAt" END,
          "windowExpiresAt" = CASE WHEN ${opensWindow} THEN GREATEST("windowExpiresAt", ${windowEnd}) ELSE "windowExpiresAt" END,
          "updatedAt" = now()
        WHERE id = ${conversation.id}`;
      await tx.activityEvent.createMany({
        data: {
          workspaceId: ctx.workspaceId,
          connectionId: ctx.connectionId,
          type: "message.received",
          summary: `${message.type} message from ${ctx.profileName ?? message.from}`,
          data: { wamid: message.id, conversationId: conversation.id, type: message.type, text },
          dedupeKey: `message.received:${message.id}`,
        },
        skipDuplicates: true,
      });
    }
    return { id, isNew, conversationId: conversation.id, contactId: contact.id, timestamp };
  });
}
