import { AppError } from "@/lib/http/app-error";

/**
 * A token-owned lock: only the holder of the token can release or extend it, so a run that
 * outlived its TTL can never drop the lock a newer run now holds.
 *
 * Every method throws `AppError("unavailable")` when the store cannot be reached.
 */
export interface LockStore {
  /** "none": a real database but no shared store configured; every call throws (see get-lock-store). */
  kind: "redis" | "upstash" | "memory" | "none";
  /** `SET key token NX PX ttl`: true when this token now holds the key. */
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only if it still holds this token. */
  release(key: string, token: string): Promise<boolean>;
  /** Resets the TTL only if the key still holds this token. */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Counts a hit on `key` in a fixed window of `windowMs` (INCR, expiry set by the first hit): the count so far. */
  hit(key: string, windowMs: number): Promise<number>;
  /**
   * Takes one hit back (an attempt that turned out not to count); nothing once the window has ended. A
   * refund that lands in the next window takes one from it: at most one attempt more, never below zero.
   */
  refund(key: string): Promise<void>;
  ping(): Promise<void>;
}

// The compare-and-X scripts shared by both Redis stores: GET and DEL as two commands would let the
// key expire and be taken by another owner in between.
export const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
export const EXTEND_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

// The window starts with the first hit; INCR and PEXPIRE as two commands could leave a key that never expires.
export const HIT_SCRIPT = `local n = redis.call("incr", KEYS[1]) if n == 1 then redis.call("pexpire", KEYS[1], ARGV[1]) end return n`;
// A bare DECR on an expired window would create a key with no expiry, counting from -1.
export const REFUND_SCRIPT = `local n = tonumber(redis.call("get", KEYS[1])) if n and n > 0 then return redis.call("decr", KEYS[1]) end return 0`;

export function lockStoreUnavailable(kind: LockStore["kind"], cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return new AppError("unavailable", `Lock store (${kind}) unreachable`, { cause });
}

/** Runs one store operation, turning any transport failure into `AppError("unavailable")`. */
export async function guardStoreCall<T>(kind: LockStore["kind"], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw lockStoreUnavailable(kind, error);
  }
}
