import { prisma } from "@/lib/db/client";
import { notifyOwners } from "@/lib/alerts/notify-owners";
import { deadWebhooksEmail } from "@/lib/alerts/templates/dead-webhooks-email";
import type { JobHandler } from "@/lib/jobs/job-context";
import { drainInbox } from "@/lib/webhooks/drain-inbox";

const HOUR_MS = 60 * 60 * 1000;

/**
 * The `webhook-retry` job: drains what is due (new, backoff elapsed, lease expired) within the
 * invocation's budget — the same drain as after every delivery — then tells each workspace's owners
 * about deliveries that went dead —
 * at most one email per workspace per hour, whatever the number of dead events.
 */
export const runWebhookRetry: JobHandler = async (ctx) => {
  const retried = await drainInbox({ budgetMs: Math.max(1_000, ctx.deadline - Date.now()), signal: ctx.signal });

  const since = new Date(Date.now() - HOUR_MS);
  const deadByWorkspace = await prisma.webhookEvent.groupBy({
    by: ["workspaceId"],
    where: { state: "DEAD", deadAt: { gte: since }, workspaceId: { not: null } },
    _count: { _all: true },
    _min: { receivedAt: true },
  });
  let notified = 0;
  for (const group of deadByWorkspace) {
    if (!group.workspaceId) continue;
    const [workspace, latest] = await Promise.all([
      prisma.workspace.findUniqueOrThrow({ where: { id: group.workspaceId }, select: { name: true } }),
      prisma.webhookEvent.findFirst({ where: { workspaceId: group.workspaceId, state: "DEAD" }, orderBy: { deadAt: "desc" }, select: { lastError: true } }),
    ]);
    const bucket = Math.floor(Date.now() / HOUR_MS);
    const result = await notifyOwners({
      workspaceId: group.workspaceId,
      dedupeKey: `dead-webhooks:${group.workspaceId}:${bucket}`,
      email: deadWebhooksEmail({ workspaceName: workspace.name, count: group._count._all, oldestAt: group._min.receivedAt ?? new Date(), lastError: latest?.lastError ?? null }),
    });
    notified += result.sent + result.outbox;
  }

  const summary = { total: retried.claimed, processed: retried.done, failed: retried.failed, dead: retried.dead, released: retried.released, notified };
  return {
    message: `Drained ${retried.claimed} webhook deliveries: ${retried.done} processed, ${retried.failed} failed, ${retried.dead} dead`,
    summary,
    hasMore: retried.hasMore,
  };
};
