import { recordActivities } from "@/lib/activity/record-activities";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { drainQueue, mergeSummaries, type DrainSummary } from "@/lib/queue/drain-queue";
import { kickDrain } from "@/lib/queue/kick-drain";
import { yieldToRequests } from "@/lib/queue/yield-to-requests";
import type { Outcome } from "@/lib/queue/queue-table";
import { inboxQueue, type InboxPayload } from "@/lib/webhooks/inbox-queue";
import { processInboxBatch } from "@/lib/webhooks/process-inbox-batch";

// Payload bytes of one batch: with a few loops per process, what a drain holds in memory is bounded
// whatever Meta sends (a delivery can reach a few MB).
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Processes stored deliveries that are due — new, failed with their backoff elapsed, or claimed by
 * a drainer that died — until none is left or the budget is spent. `concurrency` loops run side by
 * side (one computes while another waits on the database); each claims its own rows.
 */
export async function drainInbox(options: { budgetMs?: number; batchSize?: number; concurrency?: number; signal?: AbortSignal } = {}): Promise<DrainSummary> {
  const loops = Array.from({ length: options.concurrency ?? env.WEBHOOK_DRAIN_CONCURRENCY }, () =>
    drainQueue<InboxPayload>(inboxQueue, processInboxBatch, {
      budgetMs: options.budgetMs ?? env.WEBHOOK_DRAIN_BUDGET_SECONDS * 1000,
      batchSize: options.batchSize ?? env.WEBHOOK_DRAIN_BATCH_SIZE,
      maxBatchBytes: MAX_BATCH_BYTES,
      onDead: recordDeadDeliveries,
      // The same process answers Meta: between batches the drain gives way to requests.
      pace: yieldToRequests,
      signal: options.signal,
    }),
  );
  return mergeSummaries(await Promise.all(loops));
}

/**
 * Called after every acknowledged delivery and every job invocation: this process's drainer takes
 * what is due, within the invocation's budget, and hands on if rows are still due when it ends.
 */
export function kickInboxDrain(): Promise<void> {
  return kickDrain({ queue: inboxQueue.table, drain: (budgetMs) => drainInbox({ budgetMs }), budgetMs: env.WEBHOOK_DRAIN_BUDGET_SECONDS * 1000, handOn: handOnInboxDrain });
}

/**
 * With APP_URL set, the next slice runs in a fresh invocation (a serverless function must not
 * outlive its maxDuration): one call to our own drain endpoint, which answers at once and drains
 * after its response. Without it this process — a long-running server — drains on.
 */
async function handOnInboxDrain(): Promise<boolean> {
  if (!env.APP_URL || !env.CRON_SECRET) return false;
  try {
    const res = await fetch(new URL("/api/v1/webhooks/drain", env.APP_URL), {
      method: "POST",
      headers: { "x-cron-secret": env.CRON_SECRET },
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) {
      logger.info("drain handed on: its time budget ended with deliveries still due");
      return true;
    }
    logger.warn({ status: res.status }, "drain hand-on refused: the backlog waits for the next delivery or job");
  } catch (err) {
    logger.warn({ err }, "drain hand-on failed: the backlog waits for the next delivery or job");
  }
  return true;
}

async function recordDeadDeliveries(dead: Outcome[]): Promise<void> {
  await recordActivities(
    dead.flatMap((o) => {
      if (o.kind !== "retry" || typeof o.values?.workspaceId !== "string") return [];
      return [{ workspaceId: o.values.workspaceId, type: "webhook.dead", summary: `A webhook delivery failed ${inboxQueue.maxAttempts} times and was set aside: ${o.error.slice(0, 200)}`, data: { webhookEventId: o.id }, dedupeKey: `webhook.dead:${o.id}:${inboxQueue.maxAttempts}` }];
    }),
  );
}

export { recordDeadDeliveries };
