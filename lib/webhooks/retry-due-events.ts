import pLimit from "p-limit";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { processWebhookEvent, type ProcessResult } from "@/lib/webhooks/process-webhook-event";

// A PENDING event younger than this is still being handled by the `after()` of its own request.
const PENDING_GRACE_MS = 30_000;

export type RetrySummary = { attempted: number; processed: number; failed: number; dead: number; other: number; hasMore: boolean };

/**
 * The retry path: processes every event that is due — failed with its backoff elapsed, pending
 * past the grace period (its request died before `after()` ran), or processing with an expired
 * lease (its process died) — in bounded batches until none is left or the time budget is spent.
 */
export async function retryDueEvents(
  options: { budgetMs?: number; batchSize?: number; concurrency?: number; pendingGraceMs?: number } = {},
): Promise<RetrySummary> {
  const { budgetMs = 50_000, batchSize = 200, concurrency = 8, pendingGraceMs = PENDING_GRACE_MS } = options;
  const deadline = Date.now() + budgetMs;
  const summary: RetrySummary = { attempted: 0, processed: 0, failed: 0, dead: 0, other: 0, hasMore: false };

  while (Date.now() < deadline) {
    const now = new Date();
    const due: Prisma.WebhookEventWhereInput = {
      OR: [
        { state: "PENDING", receivedAt: { lt: new Date(now.getTime() - pendingGraceMs) } },
        { state: "FAILED", nextAttemptAt: { lte: now } },
        { state: "PROCESSING", leaseUntil: { lt: now } },
      ],
    };
    const batch = await prisma.webhookEvent.findMany({ where: due, orderBy: { receivedAt: "asc" }, take: batchSize, select: { id: true } });
    if (batch.length === 0) return summary;

    // A pool, not fixed groups: one slow event (an auto-reply waiting on Graph) holds one slot, not a group.
    const limit = pLimit(concurrency);
    await Promise.all(
      batch.map((e) =>
        limit(async () => {
          if (Date.now() >= deadline) return;
          count(summary, await processWebhookEvent(e.id));
        }),
      ),
    );
  }
  summary.hasMore = true;
  return summary;
}

function count(summary: RetrySummary, result: ProcessResult): void {
  summary.attempted++;
  if (result === "processed") summary.processed++;
  else if (result === "failed") summary.failed++;
  else if (result === "dead") summary.dead++;
  else summary.other++;
}
