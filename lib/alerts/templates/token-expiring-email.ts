import { formatDuration, formatUtc } from "@/lib/alerts/templates/format-time";
import { appLink, oneLine, renderEmail, type Email } from "@/lib/alerts/templates/layout";
import { NEW_TOKEN_STEPS } from "@/lib/alerts/templates/token-invalid-email";

// Warns before a token with an expiry date lapses, so the number never goes down for it.

export type TokenExpiringEmailInput = {
  workspaceName: string;
  connectionName: string;
  displayPhoneNumber: string | null;
  expiresAt: Date;
  now?: Date;
};

export function tokenExpiringEmail(input: TokenExpiringEmailInput): Email {
  const now = input.now ?? new Date();
  const name = oneLine(input.connectionName);
  const phone = oneLine(input.displayPhoneNumber ?? "unknown number");
  const left = input.expiresAt.getTime() - now.getTime();
  const when = left > 0 ? `expires in ${formatDuration(left)}` : "has expired";
  return renderEmail({
    subject: `Access token ${when}: ${name} (${phone})`,
    heading: left > 0 ? "A WhatsApp access token expires soon" : "A WhatsApp access token has expired",
    blocks: [
      { kind: "paragraph", text: `The access token of ${name} (${phone}) in the workspace ${oneLine(input.workspaceName)} ${when} (${formatUtc(input.expiresAt)}). After that, WhaTrack can no longer send messages from this number or check its health.` },
      { kind: "details", rows: [["Account", name], ["Phone number", phone], ["Expires", formatUtc(input.expiresAt)]] },
      { kind: "list", title: "Replace it with a token that does not expire", items: NEW_TOKEN_STEPS, ordered: true },
      { kind: "link", label: "Update the token in WhaTrack", url: appLink(undefined) },
    ],
    footer: `You receive this as an owner or alert contact of ${oneLine(input.workspaceName)}. WhaTrack never sends tokens by email.`,
  });
}
