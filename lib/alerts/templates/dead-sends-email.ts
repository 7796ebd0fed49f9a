import { appLink, oneLine, renderEmail, safeText, type Email } from "@/lib/alerts/templates/layout";

// Sends that failed every retry are set aside (DEAD): nothing tries them again on its own, and the
// customers never got them, so a person has to know.

export type DeadSendsEmailInput = {
  workspaceName: string;
  count: number;
  maxAttempts: number;
  lastError: string | null;
  dashboardUrl?: string;
};

export function deadSendsEmail(input: DeadSendsEmailInput): Email {
  const sends = input.count === 1 ? "1 message" : `${input.count} messages`;
  return renderEmail({
    subject: `${sends} could not be sent: ${oneLine(input.workspaceName)}`,
    heading: "Messages set aside",
    blocks: [
      { kind: "paragraph", text: `In the workspace ${oneLine(input.workspaceName)}, ${sends} failed ${input.maxAttempts} attempts to reach WhatsApp and ${input.count === 1 ? "was" : "were"} set aside. The recipients have not received ${input.count === 1 ? "it" : "them"}.` },
      { kind: "details", rows: [["Set aside", String(input.count)], ["Last error", input.lastError ? safeText(input.lastError) : "none recorded"]] },
      {
        kind: "list",
        title: "What to do",
        items: ["Look at the dead sends and their errors (GET /api/v1/messages?state=DEAD).", "Fix the cause, then retry them (POST /api/v1/messages/retry): each is sent once more from the start."],
        ordered: true,
      },
      { kind: "link", label: "Open WhaTrack", url: appLink(input.dashboardUrl) },
    ],
    footer: `You receive this as an owner of ${oneLine(input.workspaceName)}.`,
  });
}
