import type { BreakerPolicy, BreakerSnapshot, LockStore, PaceRequest, PaceResult } from "@/lib/locks/lock-store";

// For the embedded (single-process, PGlite) default only: a lock in one process's memory says
// nothing to another instance, so get-lock-store never picks this with a real database.

type Entry = { token: string; expiresAt: number };
// The same records PACE_SCRIPT and BREAKER_SCRIPT keep in Redis (lock-store.ts explains them).
type Breaker = { open: boolean; failures: number; cooldown: number; openUntil: number; probeUntil: number };
const CLOSED: Breaker = { open: false, failures: 0, cooldown: 0, openUntil: 0, probeUntil: 0 };

const SWEEP_THRESHOLD = 1_000;

export function createMemoryLockStore(): LockStore {
  const locks = new Map<string, Entry>();
  const counters = new Map<string, { count: number; resetAt: number }>();
  // Next free slot per pacing key (epoch µs); a slot in the past is the same as none, so expiry is a sweep.
  const pacing = new Map<string, number>();
  const breakers = new Map<string, Breaker>();

  // No await inside: each call runs to completion before the next, which is what makes it atomic here.
  function reserve({ numberKey, intervalUs, pairKey, pairIntervalUs, maxWaitUs: numberMaxWaitUs, pairMaxWaitUs }: PaceRequest): PaceResult {
    const nowUs = Date.now() * 1000;
    if (pacing.size >= SWEEP_THRESHOLD) for (const [k, next] of pacing) if (next <= nowUs) pacing.delete(k);
    let slot = Math.max(nowUs, pacing.get(numberKey) ?? 0);
    let reason: "number_rate" | "pair_rate" = "number_rate";
    const pairNext = pairKey ? (pacing.get(pairKey) ?? 0) : 0;
    if (pairNext > slot) [slot, reason] = [pairNext, "pair_rate"];
    const maxWaitUs = reason === "pair_rate" ? Math.min(numberMaxWaitUs, pairMaxWaitUs ?? numberMaxWaitUs) : numberMaxWaitUs;
    if (slot - nowUs > maxWaitUs) return { ok: false, retryInUs: slot - maxWaitUs - nowUs, reason, nowUs };
    pacing.set(numberKey, slot + intervalUs);
    if (pairKey) pacing.set(pairKey, slot + pairIntervalUs);
    return { ok: true, sendAtUs: slot, nowUs };
  }

  function breaker(key: string, event: string, policy: BreakerPolicy): BreakerSnapshot {
    const now = Date.now();
    const b = { ...(breakers.get(key) ?? CLOSED) };
    const open = (ms: number) => Object.assign(b, { open: true, cooldown: ms, openUntil: now + ms, probeUntil: 0, failures: 0 });
    let [allow, probe, retryInMs] = [false, false, 0];
    if (event === "pass") {
      if (!b.open) allow = true;
      else if (now < b.openUntil) retryInMs = b.openUntil - now;
      else if (now < b.probeUntil) retryInMs = Math.min(b.probeUntil - now, policy.probeRetryMs);
      else [b.probeUntil, allow, probe] = [now + policy.probeLeaseMs, true, true];
    } else if (event === "success") {
      if (!b.open || now >= b.openUntil) Object.assign(b, CLOSED);
    } else if (event === "transient_failure" || event === "hard_failure") {
      if (!b.open) {
        b.failures++;
        if (event === "hard_failure" || b.failures >= policy.transientThreshold) open(policy.cooldownMs);
      } else if (now >= b.openUntil) {
        open(Math.min(Math.max(b.cooldown * 2, policy.cooldownMs), policy.maxCooldownMs));
      }
    }
    if (event !== "read") {
      if (!b.open && b.failures === 0) breakers.delete(key);
      else breakers.set(key, b);
    }
    if (!b.open) return { state: "closed", allow, probe, retryInMs, openUntil: null };
    return { state: now < b.openUntil ? "open" : "half_open", allow, probe, retryInMs, openUntil: b.openUntil };
  }

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
    async reserve(request) {
      return reserve(request);
    },
    async breaker(key, event, policy) {
      return breaker(key, event, policy);
    },
    async ping() {},
  };
}
