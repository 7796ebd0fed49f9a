import { createHash, randomBytes } from "node:crypto";

// A workspace API key is 32 random bytes behind a fixed prefix (so a leaked key is recognisable in a
// scanner or a log). Only its SHA-256 is stored: keys are random, so a fast hash cannot be brute-forced,
// and a lookup by hash needs no per-key salt.
const KEY_PREFIX = "wt_";
// Shown in the key list so an owner can tell keys apart; short enough to reveal nothing useful.
const SHOWN_CHARS = 10;

export type NewApiKey = { key: string; prefix: string; keyHash: string };

export function generateApiKey(): NewApiKey {
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, SHOWN_CHARS), keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Whether a presented credential looks like one of our keys (cheap check before any lookup). */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(KEY_PREFIX) && value.length > KEY_PREFIX.length + 20 && value.length < 100;
}
