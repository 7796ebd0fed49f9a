import type { GraphError } from "@/lib/whatsapp/graph-error";

// The connection monitor's judgement, pure so it is tested on its own. Each probe (the number's status,
// its send-path health, the webhook subscription) gives a finding; together they say online, offline, or
// "no verdict" — and a missing verdict never flips a connection, so one throttled call cannot raise an alarm.

export type Finding = { state: "up" } | { state: "down"; reason: string } | { state: "unknown"; reason: string };

export type ConnectionLevel = "HEALTHY" | "WARNING" | "CRITICAL" | "UNKNOWN";

// Phone-number statuses in which the number cannot send or receive on the Cloud API. RESTRICTED,
// RATE_LIMITED and FLAGGED numbers still work (with limits); the send-path health says when they do not.
const OFFLINE_STATUSES = new Set(["BANNED", "BLOCKED", "DELETED", "DISCONNECTED", "MIGRATED", "PENDING", "UNVERIFIED"]);

export const UP: Finding = { state: "up" };

/** The number's `status` field. A value Meta adds later counts as up: the health probe still catches a dead number. */
export function numberStatusFinding(status: string | null): Finding {
  const s = status?.toUpperCase() ?? null;
  if (s == null || s === "UNKNOWN") return { state: "unknown", reason: "Meta did not report the number's status" };
  return OFFLINE_STATUSES.has(s) ? { state: "down", reason: `number status is ${s}` } : UP;
}

/** `health_status.can_send_message`: BLOCKED means nothing can be sent; LIMITED still sends. */
export function sendHealthFinding(canSendMessage: string, problem: string | null): Finding {
  if (canSendMessage.toUpperCase() !== "BLOCKED") return UP;
  return { state: "down", reason: `Meta blocks sending from this number${problem ? ` (${problem})` : ""}` };
}

/** A failed probe: auth and permanent errors are a verdict (offline); retryable or unreadable ones are not. */
export function graphErrorFinding(what: string, error: GraphError): Finding {
  const label = `${what}: ${error.code != null ? `Graph error ${error.code}` : error.httpStatus != null ? `HTTP ${error.httpStatus}` : "no answer"}`;
  if (error.kind === "auth") return { state: "down", reason: `${label} (the access token was rejected)` };
  if (error.retryable || error.kind === "unknown") return { state: "unknown", reason: `${label} (${error.kind})` };
  return { state: "down", reason: `${label} (${error.title ?? error.kind})` };
}

/** Offline if any probe says so; otherwise no verdict if any probe gave none; otherwise online. */
export function combineFindings(findings: Finding[]): { online: boolean | null; reason: string } {
  const down = findings.flatMap((f) => (f.state === "down" ? [f.reason] : []));
  if (down.length > 0) return { online: false, reason: down.join("; ") };
  const unknown = findings.flatMap((f) => (f.state === "unknown" ? [f.reason] : []));
  if (unknown.length > 0) return { online: null, reason: unknown.join("; ") };
  return { online: true, reason: "number reachable and subscribed to webhooks" };
}

/** Healthy when online; Warning while offline for less than the threshold; Critical from then on. */
export function connectionLevel(input: { online: boolean | null; offlineSince: Date | null; now: Date; criticalAfterMs: number }): ConnectionLevel {
  if (input.online === null) return "UNKNOWN";
  if (input.online) return "HEALTHY";
  const offlineFor = input.now.getTime() - (input.offlineSince ?? input.now).getTime();
  return offlineFor >= input.criticalAfterMs ? "CRITICAL" : "WARNING";
}
