import { formatDuration, formatUtc } from "@/lib/alerts/templates/format-time";
import { appLink, oneLine, renderEmail, safeText, type Email } from "@/lib/alerts/templates/layout";

// Sent once per outage when a number has been offline past CONNECTION_CRITICAL_AFTER_HOURS: what is
// down, since when, and what the owner can do about it on the Cloud API (there is no QR code to scan).

export type ConnectionCriticalEmailInput = {
  workspaceName: string;
  connectionName: string;
  displayPhoneNumber: string | null;
  offlineSince: Date;
  lastConnectedAt: Date | null;
  reason: string;
  now?: Date;
  dashboardUrl?: string;
};

export const RECONNECT_STEPS = [
  "Open WhatsApp Manager (business.facebook.com → WhatsApp Manager → Phone numbers) and check the number: its status should be Connected and its display name approved.",
  "Re-subscribe your Meta app to the WhatsApp Business Account's webhooks (POST /<WABA ID>/subscribed_apps). WhaTrack tries this automatically on every check; if the number stays offline, the token probably lacks permission for this account.",
  "Check the access token: it must still be valid and carry whatsapp_business_messaging and whatsapp_business_management for this account. If it was revoked or expired, generate a new system-user token and update it in WhaTrack.",
  "Nothing else to do once fixed: WhaTrack sees the number back on its next check and emails you.",
];

export const TROUBLESHOOTING_TIPS = [
  "Access token expired or revoked: a user token expires, and removing the system user or the app's permission revokes it.",
  "Number deregistered, or display name rejected: WhatsApp Manager shows the number's status and the name review.",
  "App unsubscribed from the account's webhooks: someone removed the app from the WhatsApp Business Account, so Meta stopped sending events.",
  "Payment method missing or declined, or messaging limit reached: check Billing & payments and the number's messaging limit and quality rating.",
  "Meta outage: check metastatus.com for the WhatsApp Business API.",
];

export function connectionCriticalEmail(input: ConnectionCriticalEmailInput): Email {
  const now = input.now ?? new Date();
  const name = oneLine(input.connectionName);
  const phone = oneLine(input.displayPhoneNumber ?? "unknown number");
  const offlineFor = formatDuration(now.getTime() - input.offlineSince.getTime());
  return renderEmail({
    subject: `WhatsApp number offline for ${offlineFor}: ${name} (${phone})`,
    heading: "A WhatsApp number is offline",
    blocks: [
      { kind: "paragraph", text: `${name} (${phone}) in the workspace ${oneLine(input.workspaceName)} has been offline for ${offlineFor}. Until it is reconnected, customers' messages may not reach WhaTrack and replies cannot be sent.` },
      {
        kind: "details",
        rows: [
          ["Account", name],
          ["Phone number", phone],
          ["Offline for", offlineFor],
          ["Offline since", formatUtc(input.offlineSince)],
          ["Last connected", input.lastConnectedAt ? formatUtc(input.lastConnectedAt) : "never"],
          ["Reason", safeText(input.reason)],
        ],
      },
      { kind: "list", title: "How to reconnect", items: RECONNECT_STEPS, ordered: true },
      { kind: "list", title: "Troubleshooting", items: TROUBLESHOOTING_TIPS },
      { kind: "link", label: "Open WhaTrack", url: appLink(input.dashboardUrl) },
    ],
    footer: `You receive this as an owner or alert contact of ${oneLine(input.workspaceName)}. One email per outage; another when the number is back.`,
  });
}
