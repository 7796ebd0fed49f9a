import type { Prisma } from "@/lib/generated/prisma/client";
import type { ConversationDetail, ConversationSummary } from "@/lib/conversations/conversations-schemas";

// How a conversation row becomes what the API and the pages show: the columns to read, and the
// 24-hour window computed at the time of the request.

export const conversationSelect = {
  id: true,
  lastMessageAt: true,
  lastMessageText: true,
  lastInboundAt: true,
  windowExpiresAt: true,
  messageCount: true,
  createdAt: true,
  contact: { select: { id: true, waId: true, profileName: true } },
  connection: { select: { id: true, name: true, verifiedName: true, displayPhoneNumber: true } },
} satisfies Prisma.ConversationSelect;

type Row = Prisma.ConversationGetPayload<{ select: typeof conversationSelect }>;

export function toConversationSummary(row: Row, now: Date): ConversationSummary {
  const expiresAt = row.windowExpiresAt;
  const secondsLeft = expiresAt ? Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)) : 0;
  return {
    id: row.id,
    contact: { id: row.contact.id, waId: row.contact.waId, name: row.contact.profileName },
    connection: { id: row.connection.id, name: row.connection.name ?? row.connection.verifiedName, displayPhoneNumber: row.connection.displayPhoneNumber },
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
    lastMessageText: row.lastMessageText,
    messageCount: row.messageCount,
    window: { open: secondsLeft > 0, expiresAt: expiresAt?.toISOString() ?? null, secondsLeft },
  };
}

export function toConversationDetail(row: Row, now: Date): ConversationDetail {
  return { ...toConversationSummary(row, now), lastInboundAt: row.lastInboundAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}
