import type { Prisma } from "@/lib/generated/prisma/client";
import type { ConversationList, ListConversationsQuery } from "@/lib/conversations/conversations-schemas";
import { conversationSelect, toConversationSummary } from "@/lib/conversations/conversation-view";
import { encodeCursor, escapeLike } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/**
 * The workspace's conversations, latest message first, a keyset page at a time (lastMessageAt, id),
 * optionally narrowed to those whose contact name, number or any message text contains `q`.
 * Served by the (workspaceId, lastMessageAt) index; a search reads the workspace's messages once.
 */
export async function listConversations(db: ScopedDb, scope: { workspaceId: string }, query: ListConversationsQuery): Promise<ConversationList> {
  const filters: Prisma.ConversationWhereInput[] = [{ lastMessageAt: { not: null } }];
  if (query.q) filters.push(searchFilter(query.q, scope.workspaceId));
  if (query.cursor) {
    const { at, id } = query.cursor;
    filters.push({ OR: [{ lastMessageAt: { lt: at } }, { lastMessageAt: at, id: { lt: id } }] });
  }
  const rows = await db.conversation.findMany({
    where: { AND: filters },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: conversationSelect,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const now = new Date();
  return {
    data: page.map((row) => toConversationSummary(row, now)),
    nextCursor: rows.length > query.limit && last?.lastMessageAt ? encodeCursor({ at: last.lastMessageAt, id: last.id }) : null,
  };
}

function searchFilter(q: string, workspaceId: string): Prisma.ConversationWhereInput {
  const text = { contains: escapeLike(q), mode: "insensitive" } as const;
  const or: Prisma.ConversationWhereInput[] = [
    { contact: { profileName: text } },
    { contact: { waId: { contains: escapeLike(q) } } },
    // The relation filter is not scoped by the tenant client; naming the workspace keeps the
    // message scan to this workspace's rows (and its index).
    { messages: { some: { workspaceId, text } } },
  ];
  // "+1 (555) 010-2000" finds the contact whose wa_id is 15550102000.
  const digits = q.replace(/[\s()+.-]/g, "");
  if (/^\d{3,}$/.test(digits) && digits !== q) or.push({ contact: { waId: { contains: digits } } });
  return { OR: or };
}
