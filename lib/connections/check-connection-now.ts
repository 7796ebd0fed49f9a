import type { Logger } from "pino";
import type { CheckNowResult } from "@/lib/connections/connection-schemas";
import { getConnection } from "@/lib/connections/get-connection";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import { runConnectionChecks } from "@/lib/connections/run-connection-checks";
import { toHealthCheckView } from "@/lib/connections/to-health-check-view";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/** How soon after any check (scheduled or not) a number may be checked again on request. */
export const CHECK_NOW_MIN_INTERVAL_MS = 10_000;

/**
 * "Check now": the token check and the connection monitor for this one number, and its fresh state.
 * The number is claimed first by a guarded update of the columns the health jobs claim it with, so a
 * double click, a second tab or a sweep that has just taken it cannot check it twice at once.
 */
export async function checkConnectionNow(db: ScopedDb, id: string, log: Logger): Promise<CheckNowResult> {
  const c = await getConnectionOrThrow(db, id);
  if (c.status === "REMOVED" || !c.tokenId) throw new AppError("conflict", "This number is disconnected: connect it again before checking it");
  const startedAt = new Date();
  const recent = new Date(startedAt.getTime() - CHECK_NOW_MIN_INTERVAL_MS);
  const { count } = await db.whatsAppConnection.updateMany({
    where: {
      id,
      AND: [
        { OR: [{ lastHealthCheckAt: null }, { lastHealthCheckAt: { lt: recent } }] },
        { OR: [{ lastMonitoredAt: null }, { lastMonitoredAt: { lt: recent } }] },
      ],
    },
    data: { lastHealthCheckAt: startedAt, lastMonitoredAt: startedAt },
  });
  if (count === 0) throw new AppError("rate_limited", "This number is being checked or was checked seconds ago: try again in a moment");

  await runConnectionChecks(id, log);
  const rows = await db.healthCheck.findMany({ where: { connectionId: id, checkedAt: { gte: startedAt } }, orderBy: { checkedAt: "asc" } });
  return { connection: await getConnection(db, id), checks: rows.map(toHealthCheckView) };
}
