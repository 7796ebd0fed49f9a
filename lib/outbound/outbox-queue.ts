import { env } from "@/lib/env";
import type { QueueTable } from "@/lib/queue/queue-table";

// The outbox as a queue (lib/queue/): every send is a row of OutboundMessage, drained by the same
// engine as the webhook inbox. A failure that will be retried goes back to QUEUED (due after its
// backoff); FAILED means refused for good, DEAD retried to the maximum — both wait for a person.

// Longer than the longest a claimed send waits for its paced slot (SLOT_MAX_WAIT_MS) plus Graph's
// timeout, so a live drainer never loses its rows; a dead one frees them within a minute.
export const OUTBOX_LEASE_MS = 60_000;

const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 30 * 60_000;

/** Exponential backoff with full jitter: anywhere in [0, min(cap, base·2^(attempts-1))], at least a second. */
export function sendRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(1_000, Math.round(random() * ceiling));
}

export const outboxQueue: QueueTable = {
  table: "OutboundMessage",
  stateType: "OutboundState",
  states: { pending: "QUEUED", processing: "SENDING", done: "SENT", failed: "FAILED", dead: "DEAD", retrying: "QUEUED" },
  payloadColumns: ["workspaceId", "connectionId", "conversationId", "contactId", "to", "type", "body", "replyToWamid", "wamid", "messageId"],
  resultColumns: { messageId: "text", sentAt: "timestamptz", errorCode: "int", errorTitle: "text", errorDetails: "text" },
  leaseMs: OUTBOX_LEASE_MS,
  maxAttempts: env.OUTBOUND_MAX_ATTEMPTS,
  retryDelayMs: (attempts) => sendRetryDelayMs(attempts),
};

export type OutboxPayload = {
  workspaceId: string;
  connectionId: string;
  conversationId: string;
  contactId: string;
  to: string;
  type: string;
  body: unknown;
  replyToWamid: string | null;
  wamid: string | null;
  messageId: string | null;
};
