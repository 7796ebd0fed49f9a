import type { HealthCheckList, ListHealthChecksQuery } from "@/lib/health/health-check-schemas";
import { encodeCursor } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** The health checks of every number of the workspace (or one), newest first: time, number, kind, result, latency, error. */
export async function listWorkspaceHealthChecks(db: ScopedDb, query: ListHealthChecksQuery): Promise<HealthCheckList> {
  const older = query.cursor ? { OR: [{ checkedAt: { lt: query.cursor.at } }, { checkedAt: query.cursor.at, id: { lt: query.cursor.id } }] } : {};
  const rows = await db.healthCheck.findMany({
    where: { ...(query.connectionId ? { connectionId: query.connectionId } : {}), ...older },
    orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: {
      id: true,
      checkedAt: true,
      kind: true,
      result: true,
      latencyMs: true,
      errorCode: true,
      errorMessage: true,
      connection: { select: { id: true, name: true, verifiedName: true, displayPhoneNumber: true } },
    },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      id: row.id,
      checkedAt: row.checkedAt.toISOString(),
      connection: { id: row.connection.id, name: row.connection.name ?? row.connection.verifiedName, displayPhoneNumber: row.connection.displayPhoneNumber },
      kind: row.kind,
      result: row.result,
      latencyMs: row.latencyMs,
      errorCode: row.errorCode,
      errorMessage: row.errorMessage,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.checkedAt, id: last.id }) : null,
  };
}
