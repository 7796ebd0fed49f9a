import { claimBatch } from "@/lib/queue/claim-batch";
import { processClaim } from "@/lib/queue/drain-queue";
import { inboxQueue, type InboxPayload } from "@/lib/webhooks/inbox-queue";
import { processInboxBatch } from "@/lib/webhooks/process-inbox-batch";
import { recordDeadDeliveries } from "@/lib/webhooks/drain-inbox";

export type ProcessResult = "processed" | "failed" | "dead" | "unroutable" | "malformed" | "released" | "not_claimed";

// A replay answers the person who asked within this budget; a huge delivery continues in the drain.
const REPLAY_BUDGET_MS = 20_000;

/**
 * Processes one stored delivery now, through the drain's own claim and settle: a person's replay
 * (`replay` also takes failed and dead deliveries that are not due). Not claimable — processed,
 * or held by a drainer — → "not_claimed".
 */
export async function processWebhookEvent(id: string, options: { replay?: boolean } = {}): Promise<ProcessResult> {
  const claim = await claimBatch<InboxPayload>(inboxQueue, { limit: 1, ids: [id], replay: options.replay });
  if (claim.rows.length === 0) return "not_claimed";
  const { outcomes, settled } = await processClaim(inboxQueue, processInboxBatch, claim.token, claim.rows, Date.now() + REPLAY_BUDGET_MS);
  const outcome = outcomes[0];
  if (!outcome || settled.lost.length > 0) return "not_claimed";
  if (settled.dead.length > 0) {
    await recordDeadDeliveries(settled.dead);
    return "dead";
  }
  switch (outcome.kind) {
    case "done":
      return "processed";
    case "release":
      return "released";
    case "retry":
      return "failed";
    case "fail":
      return outcome.errorKind === "UNKNOWN_NUMBER" ? "unroutable" : outcome.errorKind === "MALFORMED" ? "malformed" : "failed";
  }
}
