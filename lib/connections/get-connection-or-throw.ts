import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** One of the workspace's connections with its token row; 404 for an unknown id or another workspace's. */
export async function getConnectionOrThrow(db: ScopedDb, id: string) {
  const connection = await db.whatsAppConnection.findUnique({ where: { id }, include: { token: true } });
  if (!connection) throw new AppError("not_found", "Connection not found");
  return connection;
}

export type ConnectionRow = Awaited<ReturnType<typeof getConnectionOrThrow>>;
