import { formatDuration, formatUtc } from "@/lib/alerts/templates/format-time";
import { appLink, oneLine, renderEmail, safeText, type Email } from "@/lib/alerts/templates/layout";

// Deliveries that failed every retry are set aside (DEAD): their messages are stored but not in the
// inbox. Nothing retries them on its own, so a person has to know.

export type DeadWebhooksEmailInput = {
  workspaceName: string;
  count: number;
  oldestAt: Date;
  lastError: string | null;
  now?: Date;
  dashboardUrl?: string;
};

export function deadWebhooksEmail(input: DeadWebhooksEmailInput): Email {
  const now = input.now ?? new Date();
  const deliveries = input.count === 1 ? "1 webhook delivery" : `${input.count} webhook deliveries`;
  return renderEmail({
    subject: `${deliveries} from Meta could not be processed: ${oneLine(input.workspaceName)}`,
    heading: "Webhook deliveries set aside",
    blocks: [
      { kind: "paragraph", text: `In the workspace ${oneLine(input.workspaceName)}, ${deliveries} from Meta failed every retry and ${input.count === 1 ? "was" : "were"} set aside. The messages and statuses they carry are kept, but are not in the inbox yet.` },
      {
        kind: "details",
        rows: [
          ["Set aside", String(input.count)],
          ["Oldest", `${formatUtc(input.oldestAt)} (${formatDuration(now.getTime() - input.oldestAt.getTime())} ago)`],
          ["Last error", input.lastError ? safeText(input.lastError) : "none recorded"],
        ],
      },
      {
        kind: "list",
        title: "What to do",
        items: [
          "Look at the failed deliveries and their errors in WhaTrack's webhook inbox.",
          "Fix the cause (often a database problem or a bug), then replay them: nothing is lost, and a replayed message is stored only once.",
        ],
        ordered: true,
      },
      { kind: "link", label: "Open the webhook inbox", url: appLink(input.dashboardUrl) },
    ],
    footer: `You receive this as an owner of ${oneLine(input.workspaceName)}.`,
  });
}
