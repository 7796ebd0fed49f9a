import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { getLockStore } from "@/lib/locks/get-lock-store";
import type { LockStore } from "@/lib/locks/lock-store";

export type SendSlot = { ok: true; sendAt: number /* epoch ms, >= now */ } | { ok: false; retryInMs: number; reason: "number_rate" | "pair_rate" };

export type SendSlotRequest = {
  connectionId: string;
  /** The number's throughput (Meta: 80 by default, up to 1,000). */
  ratePerSecond: number;
  /** The recipient as sent to Graph; only a hash of it reaches the store. */
  to: string;
  /** At least this long between two sends to one recipient from this connection; 0: no pair limit. */
  pairIntervalMs: number;
  /** The longest the caller will sleep for a slot; a later one is refused (retry in `retryInMs`). */
  maxWaitMs: number;
  /** The same when the recipient's pair rate is what holds the send back (default maxWaitMs; see PaceRequest). */
  pairMaxWaitMs?: number;
};

/**
 * Books the earliest time this connection's number and this recipient both allow a send (the store's
 * clock, shared by every instance), if it is within `maxWaitMs`: `{ ok: true, sendAt }` — sleep until
 * `sendAt`, then send; the slot is spent whether or not the send happens. Otherwise nothing is booked and
 * `retryInMs` says when a reservation could succeed (others may book before then).
 *
 * Booked sends of one number are never closer than 1000/ratePerSecond ms, so no second holds more than the
 * rate; a slot pushed later by the pair limit holds the number's pacing at that slot too (the limiter keeps
 * one "next free" time per key, no holes), so a short `maxWaitMs` (about a second) wastes least throughput.
 * `sendAt` is on this process's clock (Date.now()) and may carry a fraction of a millisecond. Throws
 * `AppError("unavailable")` when the store is down: then nothing may be sent.
 */
export async function reserveSendSlot(input: SendSlotRequest, store: LockStore = getLockStore()): Promise<SendSlot> {
  const { connectionId, ratePerSecond, to, pairIntervalMs, maxWaitMs, pairMaxWaitMs = maxWaitMs } = input;
  if (!(ratePerSecond > 0 && ratePerSecond <= 10_000)) throw new RangeError(`ratePerSecond must be in (0, 10000], got ${ratePerSecond}`);
  if (!(pairIntervalMs >= 0) || !(maxWaitMs >= 0)) throw new RangeError("pairIntervalMs and maxWaitMs must be >= 0");

  // One hash tag per connection keeps both keys in one cluster slot, as a two-key script needs.
  const base = `${env.REDIS_KEY_PREFIX}:pace:{${connectionId}}`;
  const sentAt = Date.now();
  const result = await store.reserve({
    numberKey: `${base}:number`,
    // Rounded up: never faster than the rate (80/s is exactly 12,500 µs).
    intervalUs: Math.ceil(1_000_000 / ratePerSecond),
    pairKey: pairIntervalMs > 0 ? `${base}:to:${recipientHash(to)}` : null,
    pairIntervalUs: Math.ceil(pairIntervalMs * 1000),
    maxWaitUs: Math.floor(maxWaitMs * 1000),
    pairMaxWaitUs: Math.floor(Math.min(maxWaitMs, pairMaxWaitMs) * 1000),
  });
  const now = Date.now();
  const storeAheadMs = storeClockAhead(store, result.nowUs / 1000, sentAt, now);
  if (!result.ok) return { ok: false, retryInMs: Math.max(1, Math.ceil(result.retryInUs / 1000)), reason: result.reason };
  return { ok: true, sendAt: Math.max(now, result.sendAtUs / 1000 - storeAheadMs) };
}

// Slots are on the store's clock; the caller sleeps on ours. Each reply brackets "store minus ours": the
// store read its clock after we sent and before we got the answer (±1 ms for Date.now()'s whole
// milliseconds). Translating by the lower bound never sends early. One bound for every slot — the highest
// seen, as long as each new reply agrees with it — keeps their spacing: translating each by its own reply's
// timing would bunch up the slots whose replies came back late. A reply that contradicts it (a clock was
// stepped) starts over from that reply.
const offsets = new WeakMap<LockStore, { lowMs: number }>();

function storeClockAhead(store: LockStore, storeNowMs: number, sentAt: number, answeredAt: number): number {
  const low = storeNowMs - answeredAt - 1;
  const high = storeNowMs - sentAt + 1;
  const known = offsets.get(store);
  const lowMs = known && known.lowMs <= high ? Math.max(known.lowMs, low) : low;
  offsets.set(store, { lowMs });
  return lowMs;
}

// Phone numbers are personal data: the store sees a digest, and "+1 555…" and "1555…" are one recipient.
function recipientHash(to: string): string {
  return createHash("sha256").update(to.replace(/[\s()+-]/g, "")).digest("base64url").slice(0, 22);
}
