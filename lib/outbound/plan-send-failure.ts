import type { GraphError } from "@/lib/whatsapp/graph-error";

// What a failed send does next, from Meta's code (table in docs/outbound.md and META.md "Outbound").
// Decisions go by Graph's numeric code through classifyGraphError; a few codes get their own rule.

export type FailurePlan =
  /** Try again after `delayMs` (else the queue's backoff); `breaker` counts it against the number's circuit. */
  | { action: "retry"; errorKind: string; delayMs?: number; breaker: "transient" | null }
  /** Refused for good: FAILED with Meta's reason, kept for a person. */
  | { action: "fail"; errorKind: string; reason: string; breaker: "restricted" | null }
  /** The token is dead: mark it invalid, open the breaker, let the send wait (no attempt burned). */
  | { action: "token_invalid" };

// 131049 (Meta's per-user marketing cap across businesses) lifts after hours: a few late tries only.
export const MARKETING_CAP_TRIES = 3;
const HOUR_MS = 60 * 60_000;

export function planSendFailure(err: GraphError, attempts: number, random: () => number = Math.random): FailurePlan {
  const said = describe(err);
  if (err.code === 131049) {
    if (attempts < MARKETING_CAP_TRIES) return { action: "retry", errorKind: "MARKETING_CAP", delayMs: Math.round((4 + 4 * random()) * HOUR_MS), breaker: null };
    return { action: "fail", errorKind: "MARKETING_CAP", reason: `Meta's per-user marketing limit: not delivered after ${attempts} tries hours apart (${said})`, breaker: null };
  }
  switch (err.kind) {
    case "transient":
      return { action: "retry", errorKind: "TRANSIENT", breaker: "transient" };
    case "throttled":
      // Meta's rate or pair limit: back off, but the number is healthy — the breaker is for outages.
      return { action: "retry", errorKind: "THROTTLED", breaker: null };
    case "auth":
      return { action: "token_invalid" };
    case "window_closed":
      return { action: "fail", errorKind: "WINDOW_CLOSED", reason: `Outside the 24-hour window: send a template (${said})`, breaker: null };
    case "account_restricted":
      return { action: "fail", errorKind: "RESTRICTED", reason: `The number or its business account is restricted by Meta: ${said}`, breaker: "restricted" };
    case "permanent_request":
    case "permanent_recipient":
      return { action: "fail", errorKind: "PERMANENT", reason: said, breaker: null };
    case "unknown":
      // Includes a 2xx whose body we could not read: Graph may have accepted the message, and a
      // retry could deliver it twice. A person decides.
      return { action: "fail", errorKind: "UNKNOWN", reason: said, breaker: null };
  }
}

function describe(err: GraphError): string {
  const parts = [err.code != null ? `code ${err.code}` : err.httpStatus != null ? `HTTP ${err.httpStatus}` : null, err.title, err.details].filter(Boolean);
  return parts.length > 0 ? parts.join(": ") : err.message;
}
