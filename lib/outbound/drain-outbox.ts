import { recordActivities } from "@/lib/activity/record-activities";
import { notifyOwners } from "@/lib/alerts/notify-owners";
import { deadSendsEmail } from "@/lib/alerts/templates/dead-sends-email";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { outboxQueue, type OutboxPayload } from "@/lib/outbound/outbox-queue";
import { processOutboxBatch } from "@/lib/outbound/process-outbox-batch";
import { drainQueue, mergeSummaries, type DrainSummary } from "@/lib/queue/drain-queue";
import { kickDrain } from "@/lib/queue/kick-drain";
import type { Outcome } from "@/lib/queue/queue-table";

const HOUR_MS = 60 * 60_000;
// Longer than the default pair interval (6 s), shorter than the waits that are not pacing (an open
// circuit, an invalid token): those are left to the next kick, job or worker.
const AWAIT_DUE_MS = 10_000;

/**
 * Sends what is due in the outbox — new, retrying after its backoff, released by pacing, or claimed
 * by a drainer that died — until none is due or the budget is spent. `concurrency` loops side by
 * side, each claiming its own rows; the limiter in Redis keeps them all under each number's rates.
 */
export async function drainOutbox(options: { budgetMs?: number; batchSize?: number; concurrency?: number; awaitDueWithinMs?: number; signal?: AbortSignal } = {}): Promise<DrainSummary> {
  const loops = Array.from({ length: options.concurrency ?? env.OUTBOX_DRAIN_CONCURRENCY }, () =>
    drainQueue<OutboxPayload>(outboxQueue, processOutboxBatch, {
      budgetMs: options.budgetMs ?? env.OUTBOX_DRAIN_BUDGET_SECONDS * 1000,
      batchSize: options.batchSize ?? env.OUTBOX_DRAIN_BATCH_SIZE,
      onDead: recordDeadSends,
      // No yieldToRequests here, unlike the inbox: the outbox's work is paced (a few sends per slot,
      // light on the CPU), and a drain held back between batches loses its number's slots for good.
      // Pacing releases rows a few seconds ahead (a recipient's pair rate: 6 s): wait for them here
      // rather than stop, since nothing else would take them before the next kick.
      awaitDueWithinMs: options.awaitDueWithinMs ?? AWAIT_DUE_MS,
      signal: options.signal,
    }),
  );
  return mergeSummaries(await Promise.all(loops));
}

/**
 * Called after every queued send, every retry a person asks for and every job invocation: this
 * process's drainer sends what is due within the invocation's budget, and hands on if sends are still
 * due when it ends. Sends that come due later (backoff, pacing) are taken by the next kick, job or worker.
 */
export function kickOutboxDrain(): Promise<void> {
  return kickDrain({ queue: outboxQueue.table, drain: (budgetMs) => drainOutbox({ budgetMs }), budgetMs: env.OUTBOX_DRAIN_BUDGET_SECONDS * 1000, handOn: handOnOutboxDrain });
}

/** As the inbox's hand-on: with APP_URL a fresh invocation takes the next slice; without it this process drains on. */
async function handOnOutboxDrain(): Promise<boolean> {
  if (!env.APP_URL || !env.CRON_SECRET) return false;
  try {
    const res = await fetch(new URL("/api/v1/outbox/drain", env.APP_URL), { method: "POST", headers: { "x-cron-secret": env.CRON_SECRET }, signal: AbortSignal.timeout(10_000) });
    if (res.ok) {
      logger.info("outbox drain handed on: its time budget ended with sends still due");
      return true;
    }
    logger.warn({ status: res.status }, "outbox drain hand-on refused: the backlog waits for the next send or job");
  } catch (err) {
    logger.warn({ err }, "outbox drain hand-on failed: the backlog waits for the next send or job");
  }
  return true;
}

/**
 * Sends that used their last attempt: an activity each, and an email to the owners — at most one per
 * workspace per hour, however many went dead (a Meta outage must not become a mail storm).
 */
export async function recordDeadSends(dead: Outcome[]): Promise<void> {
  const rows = await prisma.outboundMessage.findMany({
    where: { id: { in: dead.map((o) => o.id) } },
    select: { id: true, workspaceId: true, connectionId: true, to: true, lastError: true, workspace: { select: { name: true } } },
  });
  await recordActivities(
    rows.map((r) => ({
      workspaceId: r.workspaceId,
      connectionId: r.connectionId,
      type: "outbound.dead",
      summary: `A message to ${r.to} failed ${outboxQueue.maxAttempts} attempts and was set aside: ${(r.lastError ?? "no error recorded").slice(0, 200)}`,
      data: { outboundMessageId: r.id },
      dedupeKey: `outbound.dead:${r.id}`,
    })),
  );
  const byWorkspace = new Map<string, typeof rows>();
  for (const r of rows) byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), r]);
  const bucket = Math.floor(Date.now() / HOUR_MS);
  for (const [workspaceId, group] of byWorkspace) {
    try {
      const email = deadSendsEmail({ workspaceName: group[0]!.workspace.name, count: group.length, maxAttempts: outboxQueue.maxAttempts, lastError: group.at(-1)!.lastError });
      await notifyOwners({ workspaceId, dedupeKey: `outbound-dead:${workspaceId}:${bucket}`, email });
    } catch (err) {
      // The sends are already DEAD and listed; a failed email is logged, not retried here.
      logger.error({ err, workspaceId }, "dead-send alert failed");
    }
  }
}
