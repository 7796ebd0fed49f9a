import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { getLockStore } from "@/lib/locks/get-lock-store";
import type { LockStore } from "@/lib/locks/lock-store";

export type RateLimit = {
  /** Under `<REDIS_KEY_PREFIX>:rate:`. */
  key: string;
  /** Attempts allowed per window; the next one is refused with `message`. */
  limit: number;
  windowMs: number;
  message: string;
};

export type ConsumedAttempt = {
  /** Takes the attempt back from every limit (it turned out not to count, e.g. the right password). */
  refund(): Promise<void>;
};

/**
 * Counts one attempt against each limit in order (fixed windows: the lock store's `hit`). At the first
 * limit already used up it takes back what it counted and throws 429: a refused attempt costs nothing,
 * so one client hammering a limit that refuses it does not use up the limits behind it.
 *
 * Counting before the work, not after it, is what holds under concurrency: 100 attempts sent at once
 * each see the count of those before them, where checking first and counting failures afterwards
 * would let all 100 through.
 */
export async function consumeRateLimits(limits: RateLimit[], store: LockStore = getLockStore()): Promise<ConsumedAttempt> {
  const counted: string[] = [];
  const refund = async () => {
    for (const key of counted.splice(0)) await store.refund(key);
  };
  for (const { key, limit, windowMs, message } of limits) {
    const fullKey = `${env.REDIS_KEY_PREFIX}:rate:${key}`;
    const count = await store.hit(fullKey, windowMs);
    counted.push(fullKey);
    if (count > limit) {
      await refund();
      throw new AppError("rate_limited", message);
    }
  }
  return { refund };
}
