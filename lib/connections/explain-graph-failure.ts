import { AppError } from "@/lib/http/app-error";
import type { GraphError } from "@/lib/whatsapp/graph-error";

// What the owner reads when Meta refuses a number they are connecting: Meta's own reason, in a sentence
// that says what to do, and never the token (Graph sometimes echoes it; we also strip the exact value).

export type ConnectStep = { step: "number"; phoneNumberId: string } | { step: "waba" | "subscribe"; wabaId: string };

function scrub(text: string, secret: string): string {
  return secret.length >= 8 ? text.split(secret).join("[redacted]") : text;
}

function metaSays(err: GraphError): string {
  const code = err.code != null ? `Graph error ${err.code}${err.subcode != null ? `/${err.subcode}` : ""}` : err.httpStatus != null ? `HTTP ${err.httpStatus}` : "no answer";
  const text = err.details && err.title && !err.title.includes(err.details) ? `${err.title} — ${err.details}` : (err.title ?? err.details ?? err.message);
  return `${text.replace(/[\s.]+$/, "")} (${code})`;
}

/** A GraphError met while connecting a number, as the AppError the owner gets back. Nothing was stored. */
export function explainGraphFailure(at: ConnectStep, err: GraphError, token: string): AppError {
  const says = scrub(metaSays(err), token);
  const what = at.step === "number" ? `phone number ${at.phoneNumberId}` : `WhatsApp Business Account ${at.wabaId}`;
  const message = (() => {
    switch (err.kind) {
      case "auth":
        return err.code === 190 || err.code === 0 || err.code == null
          ? `Meta rejected the access token: ${says}. Create a new system-user token and try again.`
          : `The access token may not manage ${what}: ${says}. Give the system user access to it (whatsapp_business_management and whatsapp_business_messaging) and try again.`;
      case "permanent_request":
        if (at.step === "number") return `Meta could not find ${what} with this token: ${says}. Check the phone number id in WhatsApp Manager.`;
        if (at.step === "waba") return `Meta could not list the numbers of ${what} with this token: ${says}. Check the WhatsApp Business Account id.`;
        return `Meta would not subscribe WhaTrack to ${what}'s webhooks: ${says}. Check the WhatsApp Business Account id.`;
      case "account_restricted":
        return `Meta restricts ${what}: ${says}.`;
      case "throttled":
        return `Meta is rate-limiting this account: ${says}. Try again in a few minutes.`;
      default:
        return `Meta's Graph API did not give a usable answer about ${what}: ${says}. Try again in a moment.`;
    }
  })();
  const code = err.kind === "throttled" ? "rate_limited" : err.kind === "transient" || err.kind === "unknown" ? "bad_gateway" : "unprocessable_entity";
  return new AppError(code, `${message} Nothing was saved.`, { cause: err });
}
