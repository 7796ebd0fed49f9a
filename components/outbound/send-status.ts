// One place that turns a status into WhatsApp's ticks: the thread's messages (RECEIVED … FAILED, from
// the status webhooks) and a send still in the outbox (QUEUED, SENDING, … DEAD, from the messages API).

export type SendStatus = "QUEUED" | "SENDING" | "SENT" | "DELIVERED" | "READ" | "FAILED" | "DEAD";
export type MessageStatus = "RECEIVED" | "PENDING" | "SENT" | "DELIVERED" | "READ" | "PLAYED" | "FAILED";

export type Tick = { kind: "none" | "clock" | "sent" | "delivered" | "read" | "failed"; label: string };

const TICKS: Record<SendStatus | MessageStatus, Tick> = {
  RECEIVED: { kind: "none", label: "Received" },
  QUEUED: { kind: "clock", label: "Queued: waiting to be sent" },
  SENDING: { kind: "clock", label: "Queued: sending now" },
  PENDING: { kind: "clock", label: "Pending: accepted by WhatsApp, no status yet" },
  SENT: { kind: "sent", label: "Sent" },
  DELIVERED: { kind: "delivered", label: "Delivered" },
  READ: { kind: "read", label: "Read" },
  PLAYED: { kind: "read", label: "Played" },
  FAILED: { kind: "failed", label: "Failed" },
  DEAD: { kind: "failed", label: "Failed: gave up after the last attempt" },
};

export function tickFor(status: SendStatus | MessageStatus): Tick {
  return TICKS[status];
}

/** A send that will not move on by itself: only a person's retry sends it again. */
export function isStuck(status: SendStatus): boolean {
  return status === "FAILED" || status === "DEAD";
}

/** "retry in 3 min", "retrying now": when a queued send will be tried again, if it already failed once. */
export function describeNextAttempt(attempts: number, nextAttemptAt: string | null, now: number): string | null {
  if (attempts === 0 || !nextAttemptAt) return null;
  const seconds = Math.round((Date.parse(nextAttemptAt) - now) / 1000);
  if (seconds <= 5) return `attempt ${attempts + 1} now`;
  if (seconds < 90) return `attempt ${attempts + 1} in ${seconds} s`;
  if (seconds < 90 * 60) return `attempt ${attempts + 1} in ${Math.round(seconds / 60)} min`;
  return `attempt ${attempts + 1} in ${Math.round(seconds / 3600)} h`;
}
