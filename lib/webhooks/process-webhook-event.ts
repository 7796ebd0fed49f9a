import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { scopedLogger, scrubSecrets } from "@/lib/log/logger";
import { handleDelivery } from "@/lib/webhooks/handle-delivery";
import { firstPhoneNumberId, resolveEventWorkspace } from "@/lib/webhooks/resolve-event-workspace";
import { readableErrorMessage } from "@/lib/db/errors";
import { MAX_ATTEMPTS, PROCESSING_LEASE_MS, retryDelayMs } from "@/lib/webhooks/retry-policy";
import { parseEnvelope } from "@/lib/whatsapp/webhook-schema";

export type ProcessResult = "processed" | "failed" | "dead" | "unroutable" | "malformed" | "not_claimed";

/**
 * Processes one stored delivery. Runs right after the 200 (`after()`), and again from the retry
 * job and the replay button — the same function every time. The claim is a guarded update with a
 * lease, so concurrent callers cannot both process it and a crashed run's lease simply expires.
 */
export async function processWebhookEvent(id: string, options: { replay?: boolean } = {}): Promise<ProcessResult> {
  const now = new Date();
  const claimable: Prisma.WebhookEventWhereInput[] = [
    { state: "PENDING" },
    { state: "FAILED", nextAttemptAt: { lte: now } },
    { state: "PROCESSING", leaseUntil: { lt: now } },
  ];
  // A person replaying may take any failed or dead event, including those never retried automatically.
  if (options.replay) claimable.push({ state: { in: ["FAILED", "DEAD"] } });
  const claim = await prisma.webhookEvent.updateManyAndReturn({
    where: { id, OR: claimable },
    data: { state: "PROCESSING", leaseUntil: new Date(now.getTime() + PROCESSING_LEASE_MS), attempts: { increment: 1 } },
    select: { id: true, rawBody: true, attempts: true },
  });
  const event = claim[0];
  if (!event) return "not_claimed";

  const log = scopedLogger({ webhookEventId: id, attempt: event.attempts });
  const parsed = parseEnvelope(event.rawBody);
  if (!parsed.ok) {
    await settle(id, event.attempts, { state: "FAILED", errorKind: "MALFORMED", lastError: parsed.error, nextAttemptAt: null });
    return "malformed";
  }

  try {
    const outcome = await handleDelivery(id, parsed.envelope, log);
    const routed = outcome.workspaceId !== null || outcome.counts.otherChanges > 0;
    const common = {
      workspaceId: outcome.workspaceId,
      phoneNumberId: outcome.phoneNumberId,
      wabaId: outcome.wabaId,
      counts: outcome.counts as unknown as Prisma.InputJsonValue,
    };
    if (!routed && outcome.counts.unknownNumbers.length > 0) {
      // Kept and flagged, not retried in a loop: it routes once the number is connected and replayed.
      // Shown to the owners of its WABA when we know them, so they can do just that.
      const lastError = `No connection for phone_number_id ${outcome.counts.unknownNumbers.join(", ")}`;
      const workspaceId = await resolveEventWorkspace(parsed.envelope);
      await settle(id, event.attempts, { ...common, workspaceId, state: "FAILED", errorKind: "UNKNOWN_NUMBER", lastError, nextAttemptAt: null });
      return "unroutable";
    }
    await settle(id, event.attempts, { ...common, state: "PROCESSED", processedAt: new Date(), deadAt: null, errorKind: null, lastError: null, nextAttemptAt: null });
    return "processed";
  } catch (err) {
    log.error({ err }, "webhook processing failed");
    const lastError = scrubSecrets(readableErrorMessage(err)).slice(0, 2000);
    const workspaceId = await resolveEventWorkspace(parsed.envelope).catch(() => null);
    const phoneNumberId = firstPhoneNumberId(parsed.envelope);
    if (event.attempts >= MAX_ATTEMPTS) {
      await settle(id, event.attempts, { state: "DEAD", deadAt: new Date(), workspaceId, phoneNumberId, errorKind: "PROCESSING", lastError, nextAttemptAt: null });
      if (workspaceId) {
        await prisma.activityEvent.createMany({
          data: { workspaceId, type: "webhook.dead", summary: `A webhook delivery failed ${event.attempts} times and was set aside: ${lastError.slice(0, 200)}`, data: { webhookEventId: id }, dedupeKey: `webhook.dead:${id}:${event.attempts}` },
          skipDuplicates: true,
        });
      }
      return "dead";
    }
    const nextAttemptAt = new Date(Date.now() + retryDelayMs(event.attempts));
    await settle(id, event.attempts, { state: "FAILED", workspaceId, phoneNumberId, errorKind: "PROCESSING", lastError, nextAttemptAt });
    return "failed";
  }
}

async function settle(id: string, attempt: number, data: Prisma.WebhookEventUncheckedUpdateManyInput): Promise<void> {
  // Only the holder of this claim settles it: a run whose lease expired and was re-claimed cannot.
  await prisma.webhookEvent.updateMany({ where: { id, state: "PROCESSING", attempts: attempt }, data: { ...data, leaseUntil: null } });
}
