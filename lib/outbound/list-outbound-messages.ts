import type { ListOutboundQuery, OutboundList } from "@/lib/outbound/outbound-schemas";
import { OUTBOUND_SELECT, toOutboundView } from "@/lib/outbound/outbound-view";
import { encodeCursor } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** The workspace's sends, newest first, optionally of one state or number (DEAD and FAILED: the ones to retry). */
export async function listOutboundMessages(db: ScopedDb, query: ListOutboundQuery): Promise<OutboundList> {
  const older = query.cursor ? { OR: [{ createdAt: { lt: query.cursor.at } }, { createdAt: query.cursor.at, id: { lt: query.cursor.id } }] } : {};
  const rows = await db.outboundMessage.findMany({
    where: { ...(query.state ? { state: query.state } : {}), ...(query.connectionId ? { connectionId: query.connectionId } : {}), ...older },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: OUTBOUND_SELECT,
  });
  const page = rows.slice(0, query.limit);
  const messageIds = page.flatMap((r) => (r.messageId ? [r.messageId] : []));
  const messages = messageIds.length
    ? new Map((await db.message.findMany({ where: { id: { in: messageIds } }, select: { id: true, status: true, errorCode: true, errorTitle: true, errorDetails: true } })).map((m) => [m.id, m]))
    : new Map();
  const last = page.at(-1);
  return {
    data: page.map((r) => toOutboundView(r, r.messageId ? (messages.get(r.messageId) ?? null) : null)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
