import type { Prisma } from "@/lib/generated/prisma/client";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { encodeNameCursor, type ListTemplatesQuery, type TemplateList, type TemplateView } from "@/lib/templates/templates-schemas";

const select = {
  id: true,
  wabaId: true,
  metaTemplateId: true,
  name: true,
  language: true,
  category: true,
  status: true,
  quality: true,
  reason: true,
  components: true,
  syncedAt: true,
  updatedAt: true,
} satisfies Prisma.MessageTemplateSelect;
type Row = Prisma.MessageTemplateGetPayload<{ select: typeof select }>;

/**
 * The workspace's synced templates by name (then id: a name's languages stay together), a keyset page at
 * a time; narrowed to one number's WABA (404 for a connection that is not the workspace's) and a status.
 */
export async function listTemplates(db: ScopedDb, query: ListTemplatesQuery): Promise<TemplateList> {
  const filters: Prisma.MessageTemplateWhereInput[] = [];
  if (query.connectionId) filters.push({ wabaId: (await getConnectionOrThrow(db, query.connectionId)).wabaId });
  if (query.status) filters.push({ status: query.status });
  if (query.cursor) {
    const { name, id } = query.cursor;
    filters.push({ OR: [{ name: { gt: name } }, { name, id: { gt: id } }] });
  }
  const rows = await db.messageTemplate.findMany({ where: { AND: filters }, orderBy: [{ name: "asc" }, { id: "asc" }], take: query.limit + 1, select });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { data: page.map(toTemplateView), nextCursor: rows.length > query.limit && last ? encodeNameCursor({ name: last.name, id: last.id }) : null };
}

export function toTemplateView(row: Row): TemplateView {
  return { ...row, syncedAt: row.syncedAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}
