import { secureCompare } from "@/lib/http/secure-compare";

/** Meta's subscription handshake: the challenge to echo back, or null (→ 403). */
export function verifyHandshake(params: URLSearchParams, verifyToken: string | undefined): string | null {
  const challenge = params.get("hub.challenge");
  if (params.get("hub.mode") !== "subscribe" || !challenge) return null;
  return secureCompare(params.get("hub.verify_token"), verifyToken) ? challenge : null;
}
