import type { ConnectionView } from "@/lib/connections/connection-schemas";
import { describeConnection } from "@/lib/connections/describe-connection";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** Every number of the workspace that is not disconnected, oldest first, with health and uptime. */
export async function listConnections(db: ScopedDb): Promise<ConnectionView[]> {
  const rows = await db.whatsAppConnection.findMany({
    where: { status: { not: "REMOVED" } },
    include: { token: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const now = new Date();
  return Promise.all(rows.map((row) => describeConnection(row, now)));
}
