import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { getLockStore } from "@/lib/locks/get-lock-store";
import type { LockStore } from "@/lib/locks/lock-store";

const KEY_PREFIX = `${env.REDIS_KEY_PREFIX}:lock:`;

export type HeldLock = {
  /** Pushes the expiry out by `ttlMs` (default: the TTL the lock was taken with); false once lost. */
  extend(ttlMs?: number): Promise<boolean>;
  /** Aborts when the TTL runs out unextended or an extend finds the lock gone: stop the work then. */
  signal: AbortSignal;
};

export type WithLockResult<T> = { acquired: false } | { acquired: true; result: T };

export type WithLockOptions<T> = {
  key: string;
  /** Keep it close to the route's maxDuration: a crashed run blocks the next one this long. */
  ttlMs: number;
  fn: (lock: HeldLock) => Promise<T>;
  store?: LockStore;
};

/**
 * Runs `fn` only while holding `<REDIS_KEY_PREFIX>:lock:<key>`; `{ acquired: false }` when another run holds it.
 * Throws `AppError("unavailable")` if the store cannot be reached, before `fn` runs (answer 503).
 * This only keeps runs from overlapping: work items still need their own database claims.
 */
export async function withLock<T>({ key, ttlMs, fn, store = getLockStore() }: WithLockOptions<T>): Promise<WithLockResult<T>> {
  assertTtl(ttlMs);
  const fullKey = KEY_PREFIX + key;
  const token = randomUUID();
  const controller = new AbortController();
  let expiry: NodeJS.Timeout | undefined;

  // Timed from before the store call, so the local deadline never outlives the one in the store.
  const armExpiry = (startedAt: number, ms: number) => {
    clearTimeout(expiry);
    expiry = setTimeout(() => controller.abort(new Error(`Lock "${key}" expired`)), ms - (Date.now() - startedAt));
    expiry.unref();
  };

  const startedAt = Date.now();
  if (!(await store.acquire(fullKey, token, ttlMs))) return { acquired: false };
  armExpiry(startedAt, ttlMs);

  const lock: HeldLock = {
    signal: controller.signal,
    async extend(nextTtlMs = ttlMs) {
      assertTtl(nextTtlMs);
      if (controller.signal.aborted) return false;
      const extendStartedAt = Date.now();
      const extended = await store.extend(fullKey, token, nextTtlMs);
      if (extended) armExpiry(extendStartedAt, nextTtlMs);
      else controller.abort(new Error(`Lock "${key}" was lost`));
      return extended;
    },
  };

  try {
    return { acquired: true, result: await fn(lock) };
  } finally {
    clearTimeout(expiry);
    await releaseQuietly(store, fullKey, token);
  }
}

// Checked here so a bad TTL is a bug report, not a Redis error mistaken for "store unavailable".
function assertTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`Lock TTL must be a positive integer (ms), got ${ttlMs}`);
}

// A failed release must not turn finished work (or fn's own error) into a failure: the lock is
// token-owned and expires on its TTL anyway.
async function releaseQuietly(store: LockStore, key: string, token: string): Promise<void> {
  try {
    if (!(await store.release(key, token))) logger.warn({ key }, "lock had expired before release: TTL shorter than the work");
  } catch (err) {
    logger.warn({ err, key }, "lock release failed; it will expire on its TTL");
  }
}
