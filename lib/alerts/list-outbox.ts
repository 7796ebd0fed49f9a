import type { ListOutboxQuery, OutboxList } from "@/lib/alerts/alerts-schemas";
import { encodeCursor } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** The workspace's emails that did not go out — kept in the outbox (no SMTP) or refused — newest first. */
export async function listOutbox(db: ScopedDb, query: ListOutboxQuery): Promise<OutboxList> {
  const older = query.cursor ? { OR: [{ createdAt: { lt: query.cursor.at } }, { createdAt: query.cursor.at, id: { lt: query.cursor.id } }] } : {};
  const rows = await db.emailMessage.findMany({
    where: { status: { in: ["OUTBOX", "FAILED"] }, ...older },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: { id: true, to: true, subject: true, text: true, status: true, error: true, createdAt: true },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({ ...row, status: row.status === "FAILED" ? "FAILED" : "OUTBOX", createdAt: row.createdAt.toISOString() })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
