import pLimit from "p-limit";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { processWebhookEvent } from "@/lib/webhooks/process-webhook-event";

// Processing right after the response runs through one bounded queue per process: unbounded
// `after()` work would fight over the connection pool (transactions time out) and claim leases it
// cannot use yet. When the queue is this long the process is saturated: the delivery — already
// stored — is left PENDING for the retry path, so answering Meta quickly keeps priority over
// processing and a burst can never grow memory without bound (bench/README.md has the figures).
const MAX_QUEUED = 200;

const g = globalThis as typeof globalThis & { __whatrackProcessing?: ReturnType<typeof pLimit>; __whatrackSkipLog?: { at: number; skipped: number } };
const limit = (g.__whatrackProcessing ??= pLimit(Math.max(2, Math.floor(env.DATABASE_POOL_SIZE / 2))));
const skipLog = (g.__whatrackSkipLog ??= { at: 0, skipped: 0 });

export async function scheduleProcessing(eventId: string): Promise<void> {
  if (limit.pendingCount >= MAX_QUEUED) {
    // One line a second, not one per delivery: under overload the log must not add to the load.
    skipLog.skipped++;
    if (Date.now() - skipLog.at > 1_000) {
      logger.warn({ skipped: skipLog.skipped, queued: limit.pendingCount }, "processing queue full: deliveries left for the retry path");
      skipLog.at = Date.now();
      skipLog.skipped = 0;
    }
    return;
  }
  try {
    await limit(() => processWebhookEvent(eventId));
  } catch (err) {
    logger.error({ err, webhookEventId: eventId }, "processing after response failed");
  }
}
