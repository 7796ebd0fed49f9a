import type { ListWebhookEventsQuery, WebhookEventList } from "@/lib/webhooks/webhooks-schemas";
import { encodeCursor } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/**
 * The workspace's failed and dead deliveries, latest received first, with why and what happens next.
 * Deliveries for a number no workspace has connected belong to none, so they are an admin's to see.
 */
export async function listWebhookEvents(db: ScopedDb, query: ListWebhookEventsQuery): Promise<WebhookEventList> {
  const states = query.state ? [query.state === "failed" ? ("FAILED" as const) : ("DEAD" as const)] : (["FAILED", "DEAD"] as const);
  const older = query.cursor ? { OR: [{ receivedAt: { lt: query.cursor.at } }, { receivedAt: query.cursor.at, id: { lt: query.cursor.id } }] } : {};
  const [rows, byState] = await Promise.all([
    db.webhookEvent.findMany({
      where: { state: { in: [...states] }, ...older },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: query.limit + 1,
      select: {
        id: true,
        state: true,
        errorKind: true,
        lastError: true,
        attempts: true,
        deliveries: true,
        receivedAt: true,
        lastReceivedAt: true,
        nextAttemptAt: true,
        deadAt: true,
        phoneNumberId: true,
      },
    }),
    db.webhookEvent.groupBy({ by: ["state"], where: { state: { in: ["FAILED", "DEAD"] } }, _count: { _all: true } }),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const count = (state: string) => byState.find((s) => s.state === state)?._count._all ?? 0;
  return {
    data: page.map((row) => ({
      id: row.id,
      state: row.state === "DEAD" ? "DEAD" : "FAILED",
      errorKind: row.errorKind,
      lastError: row.lastError,
      attempts: row.attempts,
      deliveries: row.deliveries,
      receivedAt: row.receivedAt.toISOString(),
      lastReceivedAt: row.lastReceivedAt.toISOString(),
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
      deadAt: row.deadAt?.toISOString() ?? null,
      phoneNumberId: row.phoneNumberId,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.receivedAt, id: last.id }) : null,
    counts: { failed: count("FAILED"), dead: count("DEAD") },
  };
}
