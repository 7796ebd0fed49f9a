import type { Logger } from "pino";
import { debugToken, getPhoneNumber } from "@/lib/whatsapp/graph-client";
import type { GraphError } from "@/lib/whatsapp/graph-error";
import type { RateLimited } from "@/lib/health/graph-rate-limit";
import { timedGraphCall } from "@/lib/health/timed-graph-call";

// Asks Graph whether a tenant's token still works, and reduces the answer to three verdicts. Only Meta
// saying so (an auth error code, or debug_token's is_valid: false) makes a token "invalid": throttling,
// 5xx, timeouts and bodies we cannot read say nothing about the token.

export type TokenCheckMethod = "debug_token" | "phone_number";

export type TokenVerdict =
  /** `expiresAt`: null = never expires; undefined = not known (the phone-number probe does not tell). */
  | { state: "valid"; method: TokenCheckMethod; latencyMs: number; expiresAt: Date | null | undefined }
  | { state: "invalid"; method: TokenCheckMethod; latencyMs: number; code: number | null; subcode: number | null; reason: string }
  /** Graph did not give a verdict on the token: retryable or unknown failures, or a non-auth error. */
  | { state: "inconclusive"; method: TokenCheckMethod; latencyMs: number; error: GraphError };

export interface ValidateTokenInput {
  token: string;
  phoneNumberId: string;
  /** `{app-id}|{app-secret}` to use debug_token; null = the phone-number probe with the tenant's token. */
  appToken: string | null;
  rateLimited: RateLimited;
  log: Logger;
}

// Meta's subcodes for 190, in words an owner can act on.
const SUBCODE_REASONS: Record<number, string> = {
  458: "the app is no longer authorised",
  459: "the user must log in to Facebook to fix their account",
  460: "the password was changed, which invalidated the token",
  463: "the token has expired",
  464: "the user's Facebook account is not confirmed",
  467: "the token was revoked or is no longer authorised",
};

export function invalidReason(code: number | null, subcode: number | null, fallback: string): string {
  const specific = subcode != null ? SUBCODE_REASONS[subcode] : undefined;
  const label = code != null ? `Meta rejected the access token (code ${code}${subcode != null ? `/${subcode}` : ""})` : "Meta rejected the access token";
  return `${label}: ${specific ?? fallback}`;
}

function fromGraphError(method: TokenCheckMethod, error: GraphError, latencyMs: number): TokenVerdict {
  if (error.kind !== "auth") return { state: "inconclusive", method, latencyMs, error };
  const reason = invalidReason(error.code, error.subcode, error.title ?? error.message);
  return { state: "invalid", method, latencyMs, code: error.code, subcode: error.subcode, reason };
}

async function probePhoneNumber(input: ValidateTokenInput): Promise<TokenVerdict> {
  const r = await timedGraphCall(input.rateLimited, () => getPhoneNumber({ token: input.token, phoneNumberId: input.phoneNumberId }));
  if (!r.ok) return fromGraphError("phone_number", r.error, r.latencyMs);
  return { state: "valid", method: "phone_number", latencyMs: r.latencyMs, expiresAt: undefined };
}

async function askDebugToken(input: ValidateTokenInput, appToken: string): Promise<TokenVerdict> {
  const r = await timedGraphCall(input.rateLimited, () => debugToken({ inputToken: input.token, appToken }));
  if (!r.ok) {
    // An auth error here is about *our* app token (wrong id or secret), not the tenant's: never blame the
    // tenant for it; ask with their own token instead, and make the misconfiguration visible in the logs.
    if (r.error.kind === "auth") {
      input.log.error({ code: r.error.code }, "debug_token rejected the app token (META_APP_ID / WHATSAPP_APP_SECRET): using the phone-number probe");
      return probePhoneNumber(input);
    }
    return { state: "inconclusive", method: "debug_token", latencyMs: r.latencyMs, error: r.error };
  }
  const info = r.value;
  if (info.isValid) return { state: "valid", method: "debug_token", latencyMs: r.latencyMs, expiresAt: info.expiresAt };
  const code = info.errorCode ?? 190;
  const reason = invalidReason(code, info.errorSubcode, "debug_token reports it is not valid");
  return { state: "invalid", method: "debug_token", latencyMs: r.latencyMs, code, subcode: info.errorSubcode, reason };
}

/** One Graph call (two when the app token is rejected), through the rate limit. Non-Graph errors propagate. */
export async function validateToken(input: ValidateTokenInput): Promise<TokenVerdict> {
  return input.appToken ? askDebugToken(input, input.appToken) : probePhoneNumber(input);
}
