import type { QueueTable } from "@/lib/queue/queue-table";
import { MAX_ATTEMPTS, PROCESSING_LEASE_MS, retryDelayMs } from "@/lib/webhooks/retry-policy";

/** The webhook inbox as a queue: stored deliveries, drained by lib/queue/. */
export const inboxQueue: QueueTable = {
  table: "WebhookEvent",
  stateType: "WebhookState",
  states: { pending: "PENDING", processing: "PROCESSING", done: "PROCESSED", failed: "FAILED", dead: "DEAD" },
  payloadColumns: ["rawBody", "receivedAt", "progress", "counts"],
  sizeColumn: "rawBody",
  resultColumns: { workspaceId: "text", phoneNumberId: "text", wabaId: "text", counts: "jsonb", progress: "int" },
  leaseMs: PROCESSING_LEASE_MS,
  maxAttempts: MAX_ATTEMPTS,
  retryDelayMs: (attempts) => retryDelayMs(attempts),
};

export type InboxPayload = { rawBody: Uint8Array; receivedAt: Date; progress: number; counts: unknown };
