import { createHash, randomBytes } from "node:crypto";

// Identifiers shaped like Meta's, shared by the fake Graph API and the webhook payload builders.

// A per-process random prefix plus a counter: unique within a run without coordination, and
// practically unique across simulator processes.
const PROCESS_TAG = randomBytes(6).toString("hex").toUpperCase();
let counter = 0;

/** Digits only, as in `wa_id` and webhook `display_phone_number`. */
export function digitsOf(phone: string): string {
  return phone.replace(/\D/g, "");
}

/**
 * A unique message id like Meta's: `wamid.` + base64 of a small binary record that carries the user's
 * number and a 20-hex-digit message id (e.g. `wamid.HBgLMTU1NTAxMjM0NTYVAgASGBQ…AA==`).
 */
export function newWamid(waId = "15550000000"): string {
  counter = (counter + 1) >>> 0;
  const messageId = `${PROCESS_TAG}${counter.toString(16).toUpperCase().padStart(8, "0")}`;
  const digits = digitsOf(waId).slice(0, 20) || "0";
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, digits.length]),
    Buffer.from(digits, "ascii"),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, messageId.length]),
    Buffer.from(messageId, "ascii"),
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString("base64")}`;
}

/** A random numeric id with Meta's usual 15–16 digits (phone-number, WABA, media ids). */
export function newNumericId(length = 15): string {
  const bytes = randomBytes(length);
  let id = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < length; i++) id += String(bytes[i]! % 10);
  return id;
}

/** Graph's per-request trace id, returned in error bodies as `fbtrace_id`. */
export function newFbtraceId(): string {
  return randomBytes(8).toString("base64url").slice(0, 11);
}

/** Bytes derived from a seed, so the same id always yields the same made-up details. */
export function seededBytes(seed: string): Buffer {
  return createHash("sha256").update(seed).digest();
}

/** n decimal digits derived from a seed. */
export function seededDigits(seed: string, n: number): string {
  const bytes = seededBytes(seed);
  let out = "";
  for (let i = 0; i < n; i++) out += String(bytes[i % bytes.length]! % 10);
  return out;
}

/** A made-up WhatsApp user number in the 555 fictional range. */
export function newUserNumber(): string {
  return `1555${newNumericId(7)}`;
}
