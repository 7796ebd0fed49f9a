import { appLink, oneLine, renderEmail, safeText, type Email } from "@/lib/alerts/templates/layout";

// Meta rejected a number's access token: nothing works for that number until the owner replaces it.

export type TokenInvalidEmailInput = {
  workspaceName: string;
  connectionName: string;
  displayPhoneNumber: string | null;
  reason: string;
  errorCode: number | null;
};

export const NEW_TOKEN_STEPS = [
  "In Meta Business Settings → Users → System users, pick a system user (or add one) and give it access to your app and to this WhatsApp Business Account.",
  "Generate a new token for your app with the permissions whatsapp_business_messaging and whatsapp_business_management. Choose no expiry so it does not lapse again.",
  "Update the number's access token in WhaTrack. WhaTrack checks the new token with Meta and resumes at once.",
];

export function tokenInvalidEmail(input: TokenInvalidEmailInput): Email {
  const name = oneLine(input.connectionName);
  const phone = oneLine(input.displayPhoneNumber ?? "unknown number");
  return renderEmail({
    subject: `Access token rejected by Meta: ${name} (${phone})`,
    heading: "A WhatsApp access token no longer works",
    blocks: [
      { kind: "paragraph", text: `Meta rejected the access token of ${name} (${phone}) in the workspace ${oneLine(input.workspaceName)}. Until it is replaced, WhaTrack cannot send messages from this number or check its health.` },
      {
        kind: "details",
        rows: [
          ["Account", name],
          ["Phone number", phone],
          ["Meta's answer", safeText(input.reason)],
          ["Error code", input.errorCode === null ? "none" : String(input.errorCode)],
        ],
      },
      { kind: "list", title: "What to do", items: NEW_TOKEN_STEPS, ordered: true },
      { kind: "link", label: "Update the token in WhaTrack", url: appLink(undefined) },
    ],
    footer: `You receive this as an owner or alert contact of ${oneLine(input.workspaceName)}. WhaTrack never sends tokens by email.`,
  });
}
