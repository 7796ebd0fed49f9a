import { formatDuration, formatUtc } from "@/lib/alerts/templates/format-time";
import { appLink, oneLine, renderEmail, type Email } from "@/lib/alerts/templates/layout";

// Closes the incident the critical email opened, so owners are not left wondering.

export type ConnectionRecoveredEmailInput = {
  workspaceName: string;
  connectionName: string;
  displayPhoneNumber: string | null;
  offlineSince: Date;
  recoveredAt: Date;
};

export function connectionRecoveredEmail(input: ConnectionRecoveredEmailInput): Email {
  const name = oneLine(input.connectionName);
  const phone = oneLine(input.displayPhoneNumber ?? "unknown number");
  const downtime = formatDuration(input.recoveredAt.getTime() - input.offlineSince.getTime());
  return renderEmail({
    subject: `WhatsApp number back online: ${name} (${phone})`,
    heading: "A WhatsApp number is back online",
    blocks: [
      { kind: "paragraph", text: `${name} (${phone}) in the workspace ${oneLine(input.workspaceName)} is connected again after ${downtime} offline. No action is needed.` },
      {
        kind: "details",
        rows: [
          ["Account", name],
          ["Phone number", phone],
          ["Offline since", formatUtc(input.offlineSince)],
          ["Back online", formatUtc(input.recoveredAt)],
          ["Downtime", downtime],
        ],
      },
      { kind: "paragraph", text: "Customers who wrote during the outage may still be waiting for an answer: look through that period's conversations." },
      { kind: "link", label: "Open WhaTrack", url: appLink(undefined) },
    ],
    footer: `You receive this as an owner or alert contact of ${oneLine(input.workspaceName)}.`,
  });
}
