import { env } from "@/lib/env";

// How failed webhook processing is retried: exponential backoff with jitter, then DEAD.

export const MAX_ATTEMPTS = 8;
export const PROCESSING_LEASE_MS = env.WEBHOOK_LEASE_SECONDS * 1000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 6 * 60 * 60_000;

/** Delay before attempt `attempts + 1`, given `attempts` made so far (≥ 1). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  // Half fixed, half random: spreads a burst of failures without ever retrying immediately.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
