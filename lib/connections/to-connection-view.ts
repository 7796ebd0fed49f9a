import type { ConnectionView } from "@/lib/connections/connection-schemas";
import type { ConnectionRow } from "@/lib/connections/get-connection-or-throw";
import { connectionHealthLevel } from "@/lib/connections/health-level";

export type UptimeByWindow = ConnectionView["uptime"];
export type ObservedByWindow = ConnectionView["uptimeObservedSeconds"];

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const latest = (...dates: Array<Date | null>) => dates.reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);

/** The API's view of a connection. Of the token only its last four characters and its state leave here. */
export function toConnectionView(c: ConnectionRow, uptime: UptimeByWindow, uptimeObservedSeconds: ObservedByWindow): ConnectionView {
  const { level, reason } = connectionHealthLevel(c);
  return {
    id: c.id,
    name: c.name,
    wabaId: c.wabaId,
    phoneNumberId: c.phoneNumberId,
    displayPhoneNumber: c.displayPhoneNumber,
    verifiedName: c.verifiedName,
    status: c.status,
    health: { level, reason, lastCheckAt: iso(latest(c.lastHealthCheckAt, c.lastMonitoredAt)), offlineSince: iso(c.offlineSince) },
    token: c.token
      ? {
          last4: c.token.last4.slice(-4),
          valid: c.token.isValid,
          invalidReason: c.token.invalidReason,
          expiresAt: iso(c.token.expiresAt),
          lastValidatedAt: iso(c.token.lastValidatedAt),
        }
      : null,
    qualityRating: c.qualityRating,
    numberStatus: c.numberStatus,
    messagingLimit: c.messagingLimit,
    webhook: { subscribed: c.webhookSubscribed, checkedAt: iso(c.subscriptionCheckAt) },
    uptime,
    uptimeObservedSeconds,
    settings: { autoReplyEnabled: c.autoReplyEnabled, autoReplyText: c.autoReplyText, autoReplyTypes: c.autoReplyTypes, alertEmails: c.alertEmails },
    createdAt: c.createdAt.toISOString(),
  };
}
