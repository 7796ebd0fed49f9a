import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks Meta's `X-Hub-Signature-256` against the raw request bytes. The header is validated for
 * shape first so a short or non-hex value is a plain `false`, never a timingSafeEqual length throw.
 */
export function verifySignature(rawBody: Uint8Array, header: string | null, appSecret: string): boolean {
  if (!header || !appSecret) return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
