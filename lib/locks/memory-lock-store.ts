import type { LockStore } from "@/lib/locks/lock-store";

// For the embedded (single-process, PGlite) default only: a lock in one process's memory says
// nothing to another instance, so get-lock-store never picks this with a real database.

type Entry = { token: string; expiresAt: number };

const SWEEP_THRESHOLD = 1_000;

export function createMemoryLockStore(): LockStore {
  const locks = new Map<string, Entry>();
  const counters = new Map<string, { count: number; resetAt: number }>();

  // Expired entries are dropped when touched; the occasional sweep bounds keys nobody touches again.
  function live(key: string, now: number): Entry | undefined {
    const entry = locks.get(key);
    if (entry && entry.expiresAt <= now) {
      locks.delete(key);
      return undefined;
    }
    return entry;
  }

  function sweep(now: number): void {
    if (locks.size < SWEEP_THRESHOLD) return;
    for (const [key, entry] of locks) if (entry.expiresAt <= now) locks.delete(key);
  }

  return {
    kind: "memory",
    async acquire(key, token, ttlMs) {
      const now = Date.now();
      sweep(now);
      if (live(key, now)) return false;
      locks.set(key, { token, expiresAt: now + ttlMs });
      return true;
    },
    async release(key, token) {
      if (live(key, Date.now())?.token !== token) return false;
      locks.delete(key);
      return true;
    },
    async extend(key, token, ttlMs) {
      const now = Date.now();
      const entry = live(key, now);
      if (entry?.token !== token) return false;
      entry.expiresAt = now + ttlMs;
      return true;
    },
    async hit(key, windowMs) {
      const now = Date.now();
      const counter = counters.get(key);
      if (!counter || counter.resetAt <= now) {
        if (counters.size >= SWEEP_THRESHOLD) for (const [k, c] of counters) if (c.resetAt <= now) counters.delete(k);
        counters.set(key, { count: 1, resetAt: now + windowMs });
        return 1;
      }
      return ++counter.count;
    },
    async refund(key) {
      const counter = counters.get(key);
      if (counter && counter.resetAt > Date.now() && counter.count > 0) counter.count--;
    },
    async ping() {},
  };
}
