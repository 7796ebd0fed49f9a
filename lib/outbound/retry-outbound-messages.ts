import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

// A person's retry: failed or dead sends back in the queue, due now, with their attempts from zero.
// One guarded update (state FAILED or DEAD, this workspace), so a send in flight is never touched.
const RETRYABLE = ["FAILED", "DEAD"] as const;
const requeue = () => ({ state: "QUEUED" as const, nextAttemptAt: new Date(), attempts: 0, deadAt: null, processedAt: null });

/** One send; 404 for another workspace's, 409 unless it is failed or dead. */
export async function retryOutboundMessage(db: ScopedDb, id: string, actor: string): Promise<{ id: string; status: "QUEUED" }> {
  const updated = await db.outboundMessage.updateMany({ where: { id, state: { in: [...RETRYABLE] } }, data: requeue() });
  if (updated.count === 0) {
    const row = await db.outboundMessage.findFirst({ where: { id }, select: { state: true } });
    if (!row) throw new AppError("not_found", "Message not found");
    throw new AppError("conflict", `Only failed or dead sends can be retried (this one is ${row.state})`);
  }
  await recordAudit({ actor, action: "outbound.retry", target: id });
  return { id, status: "QUEUED" };
}

/** Every failed and dead send of the workspace (or of one state or number). */
export async function retryOutboundMessages(db: ScopedDb, workspaceId: string, actor: string, filter: { state?: "FAILED" | "DEAD"; connectionId?: string }): Promise<{ retried: number }> {
  const states = filter.state ? [filter.state] : [...RETRYABLE];
  const updated = await db.outboundMessage.updateMany({
    where: { state: { in: states }, ...(filter.connectionId ? { connectionId: filter.connectionId } : {}) },
    data: requeue(),
  });
  if (updated.count > 0) await recordAudit({ actor, action: "outbound.retry_all", target: workspaceId, data: { retried: updated.count, ...filter } });
  return { retried: updated.count };
}
