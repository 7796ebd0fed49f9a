import { queryRows } from "@/lib/db/client";
import { readableErrorMessage } from "@/lib/db/errors";
import { logger, scrubSecrets } from "@/lib/log/logger";
import { renewClaim } from "@/lib/queue/claim-batch";
import type { BatchContext } from "@/lib/queue/drain-queue";
import type { ClaimedRow, Outcome } from "@/lib/queue/queue-table";
import { applyDeliveryItems, emptyCounts, type DeliveryCounts, type DeliveryState, type WorkItem } from "@/lib/webhooks/apply-delivery-items";
import { inboxQueue, type InboxPayload } from "@/lib/webhooks/inbox-queue";
import { parseDelivery, type DeliveryItem } from "@/lib/webhooks/parse-delivery";
import { resolveEventWorkspace } from "@/lib/webhooks/resolve-event-workspace";

// Items applied per round of statements. Small deliveries share a chunk; a large one (Meta batches
// up to thousands of statuses) is split, each chunk committing its progress, so it finishes across
// invocations instead of outliving one.
export const CHUNK_ITEMS = 500;

type Delivery = DeliveryState & {
  items: DeliveryItem[];
  done: number;
  wabaIds: string[];
  phoneNumberIds: string[];
  error: string | null;
  lost: boolean;
};

type Slice = { delivery: Delivery; from: number; to: number };

/**
 * The inbox's batch handler: parses each claimed delivery once, applies their items in chunks of
 * multi-row statements, and says what became of each — processed, unroutable (no connection for its
 * number: kept, flagged, never retried automatically), malformed, failed (retried), or released
 * with its progress saved when the time budget ran out.
 */
export async function processInboxBatch(rows: ClaimedRow<InboxPayload>[], ctx: BatchContext): Promise<Outcome[]> {
  const log = logger.child({ claim: ctx.token });
  const outcomes: Outcome[] = [];
  const deliveries: Delivery[] = [];
  for (const row of [...rows].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
    const parsed = parseDelivery(row.rawBody);
    if (!parsed.ok) {
      outcomes.push({ id: row.id, kind: "fail", errorKind: "MALFORMED", error: parsed.error });
      continue;
    }
    deliveries.push({
      id: row.id,
      items: parsed.items,
      done: Math.min(row.progress, parsed.items.length),
      counts: row.progress > 0 ? restoreCounts(row.counts) : emptyCounts(),
      workspaceId: null,
      phoneNumberId: null,
      wabaIds: parsed.wabaIds,
      phoneNumberIds: parsed.phoneNumberIds,
      error: null,
      lost: false,
    });
  }

  let renewedAt = Date.now();
  const chunks = planChunks(deliveries);
  for (const [n, chunk] of chunks.entries()) {
    // The first chunk always runs: however short the budget, each claim moves its deliveries on.
    if (n > 0 && Date.now() >= ctx.deadline) break;
    if (Date.now() - renewedAt > inboxQueue.leaseMs / 3) {
      const held = new Set(await renewClaim(inboxQueue, ctx.token));
      for (const d of deliveries) if (!held.has(d.id)) d.lost = true;
      renewedAt = Date.now();
    }
    const live = chunk.filter((s) => !s.delivery.error && !s.delivery.lost && s.from === s.delivery.done);
    await applySlices(live, log);
    for (const s of live) if (!s.delivery.error && s.to < s.delivery.items.length) await saveProgress(s.delivery, ctx.token);
  }

  for (const d of deliveries) {
    if (d.lost) continue;
    outcomes.push(await settleDelivery(d));
  }
  return outcomes;
}

/** Whole small deliveries share a chunk; a delivery larger than a chunk gets chunks of its own. */
function planChunks(deliveries: Delivery[]): Slice[][] {
  const chunks: Slice[][] = [];
  let current: Slice[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) chunks.push(current);
    current = [];
    size = 0;
  };
  for (const d of deliveries) {
    const left = d.items.length - d.done;
    if (left > CHUNK_ITEMS) {
      flush();
      for (let from = d.done; from < d.items.length; from += CHUNK_ITEMS) chunks.push([{ delivery: d, from, to: Math.min(d.items.length, from + CHUNK_ITEMS) }]);
      continue;
    }
    if (size + left > CHUNK_ITEMS) flush();
    current.push({ delivery: d, from: d.done, to: d.items.length });
    size += left;
  }
  flush();
  return chunks;
}

/**
 * Applies slices together; if that fails and they came from several deliveries, each delivery is
 * applied alone, so one poison delivery fails by itself and the others go through.
 */
async function applySlices(slices: Slice[], log: typeof logger): Promise<void> {
  if (slices.length === 0) return;
  try {
    await applyDeliveryItems(slices.flatMap(toWork), log);
    for (const s of slices) s.delivery.done = s.to;
  } catch (err) {
    if (slices.length === 1) {
      slices[0]!.delivery.error = scrubSecrets(readableErrorMessage(err)).slice(0, 2000);
      log.error({ err, webhookEventId: slices[0]!.delivery.id }, "webhook processing failed");
      return;
    }
    for (const s of slices) await applySlices([s], log);
  }
}

function toWork(s: Slice): WorkItem[] {
  const work: WorkItem[] = [];
  for (let index = s.from; index < s.to; index++) work.push({ delivery: s.delivery, item: s.delivery.items[index]!, index });
  return work;
}

async function saveProgress(d: Delivery, token: string): Promise<void> {
  const saved = await queryRows<{ id: string }>(
    `UPDATE "WebhookEvent" SET progress = $2::int, counts = $3::jsonb, "leaseUntil" = now() + $5::int * interval '1 millisecond', "nextAttemptAt" = now() + $5::int * interval '1 millisecond'
     WHERE id = $1::text AND "claimToken" = $4::text RETURNING id`,
    [d.id, d.done, JSON.stringify(d.counts), token, inboxQueue.leaseMs],
  );
  if (saved.length === 0) d.lost = true;
}

async function settleDelivery(d: Delivery): Promise<Outcome> {
  const values = { workspaceId: d.workspaceId, phoneNumberId: d.phoneNumberId ?? d.phoneNumberIds[0] ?? null, wabaId: d.wabaIds[0] ?? null, counts: d.counts, progress: d.done };
  if (d.error !== null) {
    const workspaceId = d.workspaceId ?? (await resolveEventWorkspace(d).catch(() => null));
    return { id: d.id, kind: "retry", errorKind: "PROCESSING", error: d.error, values: { ...values, workspaceId } };
  }
  if (d.done < d.items.length) return { id: d.id, kind: "release" };
  if (d.workspaceId === null && d.counts.unknownNumbers.length > 0) {
    // Kept and flagged, not retried in a loop: it routes once the number is connected and replayed.
    // Shown to the owners of its WABA when we know them, so they can do just that.
    const workspaceId = await resolveEventWorkspace(d);
    // Progress back to 0: a replay once the number is connected applies every item.
    const error = `No connection for phone_number_id ${d.counts.unknownNumbers.join(", ")}`;
    return { id: d.id, kind: "fail", errorKind: "UNKNOWN_NUMBER", error, values: { ...values, workspaceId, progress: 0 } };
  }
  return { id: d.id, kind: "done", values };
}

function restoreCounts(saved: unknown): DeliveryCounts {
  return { ...emptyCounts(), ...(saved && typeof saved === "object" ? (saved as Partial<DeliveryCounts>) : {}) };
}
