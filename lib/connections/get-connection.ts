import type { ConnectionView } from "@/lib/connections/connection-schemas";
import { describeConnection } from "@/lib/connections/describe-connection";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** One connection with its health, token state (last four characters) and uptime; 404 if not the workspace's. */
export async function getConnection(db: ScopedDb, id: string): Promise<ConnectionView> {
  return describeConnection(await getConnectionOrThrow(db, id));
}
