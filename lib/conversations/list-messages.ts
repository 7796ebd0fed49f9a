import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListMessagesQuery, MessageList, MessageView } from "@/lib/conversations/conversations-schemas";
import { AppError } from "@/lib/http/app-error";
import { encodeCursor } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

const messageSelect = {
  id: true,
  wamid: true,
  direction: true,
  type: true,
  text: true,
  status: true,
  timestamp: true,
  sentAt: true,
  deliveredAt: true,
  readAt: true,
  failedAt: true,
  errorCode: true,
  errorTitle: true,
  errorDetails: true,
  replyToId: true,
} satisfies Prisma.MessageSelect;

/**
 * A conversation's messages in order (timestamp, then id), a page at a time from the newest: the
 * first page is the latest `limit` messages, `nextCursor` leads to older ones. Each page is returned
 * oldest first, ready to render. Served by the (conversationId, timestamp) index.
 */
export async function listMessages(db: ScopedDb, conversationId: string, query: ListMessagesQuery): Promise<MessageList> {
  const conversation = await db.conversation.findFirst({ where: { id: conversationId }, select: { id: true } });
  if (!conversation) throw new AppError("not_found", "Conversation not found");
  const before = query.cursor ? { OR: [{ timestamp: { lt: query.cursor.at } }, { timestamp: query.cursor.at, id: { lt: query.cursor.id } }] } : {};
  const rows = await db.message.findMany({
    where: { conversationId, ...before },
    orderBy: [{ timestamp: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: messageSelect,
  });
  const page = rows.slice(0, query.limit);
  const oldest = page.at(-1);
  return {
    data: page.reverse().map(toMessageView),
    nextCursor: rows.length > query.limit && oldest ? encodeCursor({ at: oldest.timestamp, id: oldest.id }) : null,
  };
}

type Row = Prisma.MessageGetPayload<{ select: typeof messageSelect }>;

function toMessageView(row: Row): MessageView {
  const hasError = row.errorCode !== null || row.errorTitle !== null || row.errorDetails !== null;
  return {
    id: row.id,
    wamid: row.wamid,
    direction: row.direction,
    type: row.type,
    text: row.text,
    status: row.status,
    timestamp: row.timestamp.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    readAt: row.readAt?.toISOString() ?? null,
    failedAt: row.failedAt?.toISOString() ?? null,
    error: hasError ? { code: row.errorCode, title: row.errorTitle, details: row.errorDetails } : null,
    autoReply: row.replyToId !== null,
  };
}
