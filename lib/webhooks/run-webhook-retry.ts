import { prisma } from "@/lib/db/client";
import { notifyOwners } from "@/lib/alerts/notify-owners";
import { deadWebhooksEmail } from "@/lib/alerts/templates/dead-webhooks-email";
import type { JobHandler } from "@/lib/jobs/job-context";
import { retryDueEvents } from "@/lib/webhooks/retry-due-events";

const HOUR_MS = 60 * 60 * 1000;

/**
 * The `webhook-retry` job: reprocesses what is due (backoff elapsed, stuck, lease expired) within the
 * invocation's budget, then tells each workspace's owners about deliveries that went dead —
 * at most one email per workspace per hour, whatever the number of dead events.
 */
export const runWebhookRetry: JobHandler = async (ctx) => {
  const retried = await retryDueEvents({ budgetMs: Math.max(1_000, ctx.deadline - Date.now()) });

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

  const summary = { total: retried.attempted, processed: retried.processed, failed: retried.failed, dead: retried.dead, notified };
  return {
    message: `Retried ${retried.attempted} webhook deliveries: ${retried.processed} processed, ${retried.failed} failed again, ${retried.dead} dead`,
    summary,
    hasMore: retried.hasMore,
  };
};
