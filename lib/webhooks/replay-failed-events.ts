import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import type { ReplayAllResult } from "@/lib/webhooks/webhooks-schemas";
import { replayWebhookEvent } from "@/lib/webhooks/replay-webhook-event";

// One call replays a bounded batch within a time budget (well under the route's maxDuration);
// the answer says how many remain, and the owner presses again.
export const REPLAY_BATCH = 50;
const BUDGET_MS = 20_000;

/** "Replay all": the workspace's failed and dead deliveries, oldest first, each through the one replay path. */
export async function replayFailedEvents(db: ScopedDb, scope: { workspaceId: string }, actor: string, options: { state?: "failed" | "dead" } = {}): Promise<ReplayAllResult> {
  const states = options.state ? [options.state === "failed" ? ("FAILED" as const) : ("DEAD" as const)] : (["FAILED", "DEAD"] as const);
  const events = await db.webhookEvent.findMany({
    where: { state: { in: [...states] } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: REPLAY_BATCH + 1,
    select: { id: true },
  });
  const started = Date.now();
  const results: ReplayAllResult["results"] = [];
  for (const { id } of events.slice(0, REPLAY_BATCH)) {
    if (Date.now() - started > BUDGET_MS) break;
    try {
      results.push(await replayWebhookEvent(id, actor, scope));
    } catch (err) {
      // Taken by the retry job or another replay meanwhile: not this call's to report as failing.
      if (!(err instanceof AppError) || (err.code !== "conflict" && err.code !== "not_found")) throw err;
      results.push({ id, result: "skipped", state: "changed" });
    }
  }
  const remaining = await db.webhookEvent.count({ where: { state: { in: ["FAILED", "DEAD"] } } });
  const processed = results.filter((r) => r.result === "processed").length;
  const replayed = results.filter((r) => r.result !== "skipped").length;
  return {
    replayed,
    processed,
    stillFailing: replayed - processed,
    results,
    remaining,
    hasMore: events.length > results.length,
  };
}
