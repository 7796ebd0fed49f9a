import { newFbtraceId } from "@/sim/ids";

// Error bodies in Graph's exact shape, with the messages and HTTP statuses Meta uses for each code,
// so code under test sees what production would: `{ error: { message, type, code, error_subcode?,
// error_data?: { messaging_product, details }, fbtrace_id } }`.

export interface ErrorSpec {
  code: number;
  subcode?: number;
  httpStatus?: number;
  message?: string;
  details?: string;
}

interface CatalogEntry {
  message: string;
  details?: string;
  httpStatus?: number;
}

const CATALOG: Record<number, CatalogEntry> = {
  0: { message: "(#0) AuthException", httpStatus: 401 },
  1: { message: "An unknown error occurred", httpStatus: 500 },
  2: { message: "An unexpected error has occurred. Please retry your request later.", httpStatus: 503 },
  3: { message: "(#3) Application does not have the capability to make this API call.", httpStatus: 403 },
  4: { message: "(#4) Application request limit reached" },
  10: { message: "(#10) Application does not have permission for this action", httpStatus: 403 },
  100: { message: "(#100) Invalid parameter" },
  190: { message: "Invalid OAuth access token - Cannot parse access token", httpStatus: 401 },
  200: { message: "(#200) Permissions error", httpStatus: 403 },
  368: { message: "(#368) Temporarily blocked for policies violations" },
  80007: { message: "(#80007) Rate limit issues", details: "The WhatsApp Business Account has reached its rate limit." },
  130429: {
    message: "(#130429) Rate limit hit",
    details: "Message failed to send because there were too many messages sent from this phone number in a short period of time",
  },
  131000: { message: "(#131000) Something went wrong", details: "Message failed to send due to an unknown error.", httpStatus: 500 },
  131005: { message: "(#131005) Access denied", details: "Permission is either not granted or has been removed.", httpStatus: 403 },
  131008: { message: "(#131008) Required parameter is missing" },
  131009: { message: "(#131009) Parameter value is not valid" },
  131016: { message: "(#131016) Service unavailable", details: "A service is temporarily unavailable.", httpStatus: 503 },
  131021: { message: "(#131021) Recipient cannot be sender", details: "Sender and recipient phone number is the same." },
  131026: { message: "(#131026) Message undeliverable", details: "Unable to deliver message." },
  131031: { message: "(#131031) Business Account locked", details: "Business account has been locked." },
  131047: {
    message: "(#131047) Re-engagement message",
    details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131048: { message: "(#131048) Spam rate limit hit", details: "Message failed to send because there are restrictions on how many messages can be sent from this phone number." },
  131049: { message: "(#131049) This message was not delivered to maintain healthy ecosystem engagement." },
  131051: { message: "(#131051) Unsupported message type", details: "Message type is not currently supported." },
  131057: { message: "(#131057) Account in maintenance mode", details: "Business account is in maintenance mode: the number is being upgraded." },
  131056: {
    message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
    details: "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
  },
  132000: { message: "(#132000) Number of parameters does not match the expected number of params" },
  132001: { message: "(#132001) Template name does not exist in the translation" },
  132012: { message: "(#132012) Parameter format does not match format in the created template" },
  132015: { message: "(#132015) Template is paused", details: "Template is paused due to low quality so it cannot be sent in a template message." },
  470: { message: "(#470) Message failed to send because more than 24 hours have passed since the customer last replied to this number" },
  133004: { message: "(#133004) Server temporarily unavailable", httpStatus: 503 },
  133010: { message: "(#133010) Phone number not registered", details: "The phone number is not registered on the WhatsApp Business Platform." },
};

/** Subcodes whose message Meta words differently (190/463: expired token). */
const SUBCODE_MESSAGES: Record<string, string> = {
  "190/460": "Error validating access token: The session has been invalidated because the user changed their password.",
  "190/463": "Error validating access token: Session has expired.",
  "190/467": "Error validating access token: The user has not authorized application.",
};

/** The HTTP status Graph answers a code with (400 unless the catalog says otherwise). */
export function httpStatusFor(spec: ErrorSpec): number {
  return spec.httpStatus ?? CATALOG[spec.code]?.httpStatus ?? 400;
}

export function graphErrorBody(spec: ErrorSpec): { error: Record<string, unknown> } {
  const entry = CATALOG[spec.code];
  const message =
    spec.message ?? SUBCODE_MESSAGES[`${spec.code}/${spec.subcode}`] ?? entry?.message ?? `(#${spec.code}) Simulated error`;
  const details = spec.details ?? entry?.details;
  const error: Record<string, unknown> = { message, type: "OAuthException", code: spec.code };
  if (spec.subcode != null) error.error_subcode = spec.subcode;
  // WhatsApp-specific codes (13xxxx) carry error_data; core Graph codes do not.
  if (details != null || spec.code >= 130000) {
    error.error_data = { messaging_product: "whatsapp", details: details ?? message };
  }
  error.fbtrace_id = newFbtraceId();
  return { error };
}
