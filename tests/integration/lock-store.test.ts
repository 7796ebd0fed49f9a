import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/http/app-error";
import { createLockStore } from "@/lib/locks/get-lock-store";
import type { BreakerPolicy, LockStore, PaceRequest } from "@/lib/locks/lock-store";
import { closeRedisLockClients } from "@/lib/locks/redis-lock-store";
import { withLock, type HeldLock } from "@/lib/locks/with-lock";
import { startUpstashBridge, type UpstashBridge } from "@/tests/helpers/upstash-bridge";

// One suite, every store: memory always; TCP Redis and Upstash (through the REST bridge in front
// of the same Redis) when TEST_REDIS_URL is set. Keys are unique per test so runs can overlap.

const redisUrl = process.env.TEST_REDIS_URL;
const BRIDGE_TOKEN = `bridge-${randomUUID()}`;
let bridge: UpstashBridge | undefined;

const uniqueKey = () => `whatrack-test:${randomUUID()}`;

beforeAll(async () => {
  if (redisUrl) bridge = await startUpstashBridge({ redisUrl, token: BRIDGE_TOKEN });
});

afterAll(async () => {
  await bridge?.close();
  await closeRedisLockClients();
});

const stores: { name: string; make: () => LockStore }[] = [{ name: "memory", make: () => createLockStore({ memory: true }) }];
if (redisUrl) {
  stores.push({ name: "redis", make: () => createLockStore({ redisUrl }) });
  stores.push({ name: "upstash", make: () => createLockStore({ upstashUrl: bridge?.url ?? "(no bridge)", upstashToken: BRIDGE_TOKEN }) });
}

describe.each(stores)("$name lock store", ({ make }) => {
  let store: LockStore;
  beforeAll(() => {
    store = make();
  });

  it("answers ping, blocks a second owner until the TTL runs out", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    const key = uniqueKey();
    expect(await store.acquire(key, "a", 200)).toBe(true);
    expect(await store.acquire(key, "b", 200)).toBe(false);
    await sleep(300);
    expect(await store.acquire(key, "b", 1_000)).toBe(true);
  });

  it("counts hits in a fixed window that starts with the first hit", async () => {
    const key = uniqueKey();
    const counts = await Promise.all(Array.from({ length: 5 }, () => store.hit(key, 300)));
    expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    await sleep(400);
    expect(await store.hit(key, 300)).toBe(1);
  });

  it("refunds a hit within its window, never below zero, and never revives an expired window", async () => {
    const key = uniqueKey();
    await store.refund(key);
    expect(await store.hit(key, 300)).toBe(1);
    expect(await store.hit(key, 300)).toBe(2);
    await store.refund(key);
    expect(await store.hit(key, 300)).toBe(2);
    await store.refund(key);
    await store.refund(key);
    await store.refund(key);
    expect(await store.hit(key, 300)).toBe(1);
    await sleep(400);
    await store.refund(key);
    // A fresh window: the refund after expiry neither went negative nor left a key without an expiry.
    expect(await store.hit(key, 300)).toBe(1);
    await sleep(400);
    expect(await store.hit(key, 300)).toBe(1);
  });

  it("a non-owner cannot release it", async () => {
    const key = uniqueKey();
    await store.acquire(key, "a", 5_000);
    expect(await store.release(key, "b")).toBe(false);
    expect(await store.acquire(key, "c", 5_000)).toBe(false);
    expect(await store.release(key, "a")).toBe(true);
    expect(await store.acquire(key, "c", 5_000)).toBe(true);
  });

  it("a non-owner cannot extend it", async () => {
    const key = uniqueKey();
    await store.acquire(key, "a", 200);
    expect(await store.extend(key, "b", 5_000)).toBe(false);
    await sleep(300);
    expect(await store.acquire(key, "c", 1_000)).toBe(true);
  });

  it("the owner's extend keeps it past the original TTL", async () => {
    const key = uniqueKey();
    await store.acquire(key, "a", 200);
    await sleep(100);
    expect(await store.extend(key, "a", 1_000)).toBe(true);
    await sleep(250);
    expect(await store.acquire(key, "b", 1_000)).toBe(false);
  });

  it("a release after expiry does not delete the next owner's lock", async () => {
    const key = uniqueKey();
    await store.acquire(key, "a", 100);
    await sleep(150);
    expect(await store.acquire(key, "b", 5_000)).toBe(true);
    expect(await store.release(key, "a")).toBe(false);
    expect(await store.acquire(key, "c", 5_000)).toBe(false);
    expect(await store.release(key, "b")).toBe(true);
  });

  it("lets exactly one of 50 concurrent acquires win", async () => {
    const key = uniqueKey();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.acquire(key, `t${i}`, 5_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("withLock skips the work while another run holds the lock", async () => {
    const key = uniqueKey();
    const inner = vi.fn(async () => "inner");
    const outer = await withLock({ key, ttlMs: 5_000, store, fn: () => withLock({ key, ttlMs: 5_000, store, fn: inner }) });
    expect(outer).toEqual({ acquired: true, result: { acquired: false } });
    expect(inner).not.toHaveBeenCalled();
  });

  it("withLock releases the lock when the work throws", async () => {
    const key = uniqueKey();
    const failing = withLock({ key, ttlMs: 5_000, store, fn: async () => Promise.reject(new Error("boom")) });
    await expect(failing).rejects.toThrow("boom");
    expect(await withLock({ key, ttlMs: 5_000, store, fn: async () => 42 })).toEqual({ acquired: true, result: 42 });
  });

  it("withLock's signal aborts when the TTL runs out, and extend keeps it alive", async () => {
    const fn = async (lock: HeldLock) => {
      await sleep(100);
      const extended = await lock.extend(300); // new deadline ~400 ms from the start
      await sleep(150);
      const abortedWhileExtended = lock.signal.aborted;
      await sleep(250);
      return { extended, abortedWhileExtended, abortedAfter: lock.signal.aborted };
    };
    const run = await withLock({ key: uniqueKey(), ttlMs: 150, store, fn });
    expect(run).toEqual({ acquired: true, result: { extended: true, abortedWhileExtended: false, abortedAfter: true } });
  });
});

// Pacing and breakers: the same expectations of every store (memory mirrors the Redis scripts).
const pace = (over: Partial<PaceRequest> = {}): PaceRequest => ({
  numberKey: uniqueKey(),
  intervalUs: 12_500,
  pairKey: null,
  pairIntervalUs: 0,
  maxWaitUs: 10_000_000,
  ...over,
});

const policy: BreakerPolicy = { transientThreshold: 3, cooldownMs: 200, maxCooldownMs: 500, probeLeaseMs: 300, probeRetryMs: 50 };

describe.each(stores)("$name lock store: pacing", ({ make }) => {
  let store: LockStore;
  beforeAll(() => {
    store = make();
  });

  it("books 200 concurrent reservations at 80/s 12.5 ms apart, from now, never two in one slot", async () => {
    const request = pace();
    const results = await Promise.all(Array.from({ length: 200 }, () => store.reserve(request)));
    const slots = results.map((r) => (r.ok ? r.sendAtUs : Number.NaN)).sort((a, b) => a - b);
    expect(slots.every(Number.isFinite)).toBe(true);
    const gaps = slots.slice(1).map((s, i) => s - slots[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(12_500);
    // No idle holes either: 200 sends take 199 intervals (plus the calls' own spread).
    expect(slots.at(-1)! - slots[0]!).toBeLessThan(199 * 12_500 + 500_000);
    const first = results.find((r) => r.ok && r.sendAtUs === slots[0]);
    expect(first?.ok && first.sendAtUs - first.nowUs).toBeLessThanOrEqual(1_000);
  });

  it("spaces each pair by its interval while other recipients fill the number's slots", async () => {
    const numberKey = uniqueKey();
    const pairs = [uniqueKey(), uniqueKey(), uniqueKey(), uniqueKey()];
    const requests = Array.from({ length: 80 }, (_, i) => pace({ numberKey, pairKey: pairs[i % 4]!, pairIntervalUs: 100_000 }));
    const results = await Promise.all(requests.map((r) => store.reserve(r)));
    const booked = results.map((r, i) => ({ pair: requests[i]!.pairKey, at: r.ok ? r.sendAtUs : Number.NaN }));
    expect(booked.every((b) => Number.isFinite(b.at))).toBe(true);
    const all = booked.map((b) => b.at).sort((a, b) => a - b);
    expect(Math.min(...all.slice(1).map((s, i) => s - all[i]!))).toBeGreaterThanOrEqual(12_500);
    for (const pair of pairs) {
      const times = booked.filter((b) => b.pair === pair).map((b) => b.at).sort((a, b) => a - b);
      expect(times).toHaveLength(20);
      expect(Math.min(...times.slice(1).map((s, i) => s - times[i]!))).toBeGreaterThanOrEqual(100_000);
    }
  });

  it("refuses beyond maxWait without booking, naming the limit that binds and when to come back", async () => {
    const numberKey = uniqueKey();
    const pairKey = uniqueKey();
    const first = await store.reserve(pace({ numberKey, pairKey, pairIntervalUs: 6_000_000, maxWaitUs: 1_000_000 }));
    expect(first.ok).toBe(true);
    const refused = await store.reserve(pace({ numberKey, pairKey, pairIntervalUs: 6_000_000, maxWaitUs: 1_000_000 }));
    expect(refused).toMatchObject({ ok: false, reason: "pair_rate" });
    // ~6 s to the pair's next slot, less the 1 s it may wait.
    expect(!refused.ok && refused.retryInUs).toBeGreaterThan(4_500_000);
    expect(!refused.ok && refused.retryInUs).toBeLessThanOrEqual(5_000_000);
    // The refusal booked nothing: the number's next slot is still one interval after the first.
    const other = await store.reserve(pace({ numberKey, pairKey: uniqueKey(), pairIntervalUs: 6_000_000, maxWaitUs: 1_000_000 }));
    expect(other.ok && first.ok && other.sendAtUs - first.sendAtUs).toBe(12_500);

    const slow = pace({ intervalUs: 1_000_000, maxWaitUs: 0 });
    expect((await store.reserve(slow)).ok).toBe(true);
    expect(await store.reserve(slow)).toMatchObject({ ok: false, reason: "number_rate" });
  });

  it("books a pair-bound slot only within pairMaxWait, so the number's pacing is not pushed to it", async () => {
    const numberKey = uniqueKey();
    const pairKey = uniqueKey();
    const pairRequest = pace({ numberKey, pairKey, pairIntervalUs: 300_000, maxWaitUs: 5_000_000, pairMaxWaitUs: 50_000 });
    const first = await store.reserve(pairRequest);
    expect(first.ok).toBe(true);
    // The pair frees in 300 ms: within maxWait, beyond pairMaxWait — refused, booking nothing.
    const refused = await store.reserve(pairRequest);
    expect(refused).toMatchObject({ ok: false, reason: "pair_rate" });
    expect(!refused.ok && refused.retryInUs).toBeGreaterThan(150_000);
    expect(!refused.ok && refused.retryInUs).toBeLessThanOrEqual(250_000);
    const other = await store.reserve(pace({ numberKey, pairKey: uniqueKey(), pairIntervalUs: 300_000, maxWaitUs: 5_000_000, pairMaxWaitUs: 50_000 }));
    expect(other.ok && first.ok && other.sendAtUs - first.sendAtUs).toBe(12_500);
    // Without pairMaxWait the same request books 300 ms ahead (and holds the number there).
    const booked = await store.reserve({ ...pairRequest, pairMaxWaitUs: undefined });
    expect(booked.ok && first.ok && booked.sendAtUs - first.sendAtUs).toBeGreaterThanOrEqual(300_000);
  });

  it("frees the number again once its booked time has passed", async () => {
    const request = pace({ intervalUs: 150_000, maxWaitUs: 0 });
    expect((await store.reserve(request)).ok).toBe(true);
    expect((await store.reserve(request)).ok).toBe(false);
    await sleep(200);
    const again = await store.reserve(request);
    expect(again.ok && again.sendAtUs - again.nowUs).toBe(0);
  });
});

describe.runIf(redisUrl)("pacing across instances", () => {
  it("two clients (TCP and REST) booking one number at once never share or crowd a slot", async () => {
    const tcp = createLockStore({ redisUrl: redisUrl! });
    const rest = createLockStore({ upstashUrl: bridge!.url, upstashToken: BRIDGE_TOKEN });
    const request = pace();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? tcp : rest).reserve(request)));
    const slots = results.map((r) => (r.ok ? r.sendAtUs : Number.NaN)).sort((a, b) => a - b);
    expect(new Set(slots).size).toBe(200);
    expect(Math.min(...slots.slice(1).map((s, i) => s - slots[i]!))).toBeGreaterThanOrEqual(12_500);
  });
});

describe.each(stores)("$name lock store: circuit breaker", ({ make }) => {
  let store: LockStore;
  beforeAll(() => {
    store = make();
  });

  it("opens after the threshold of transient failures in a row; a success in between resets the count", async () => {
    const key = uniqueKey();
    await store.breaker(key, "transient_failure", policy);
    await store.breaker(key, "transient_failure", policy);
    await store.breaker(key, "success", policy);
    await store.breaker(key, "transient_failure", policy);
    await store.breaker(key, "transient_failure", policy);
    expect(await store.breaker(key, "pass", policy)).toMatchObject({ state: "closed", allow: true, probe: false });
    const opened = await store.breaker(key, "transient_failure", policy);
    expect(opened.state).toBe("open");
    const gate = await store.breaker(key, "pass", policy);
    expect(gate).toMatchObject({ state: "open", allow: false });
    expect(gate.retryInMs).toBeGreaterThan(100);
    expect(gate.retryInMs).toBeLessThanOrEqual(200);
  });

  it("a hard failure opens it at once; after the cooldown exactly one of 30 concurrent callers probes", async () => {
    const key = uniqueKey();
    expect((await store.breaker(key, "hard_failure", policy)).state).toBe("open");
    await sleep(250);
    expect((await store.breaker(key, "read", policy)).state).toBe("half_open");
    const gates = await Promise.all(Array.from({ length: 30 }, () => store.breaker(key, "pass", policy)));
    expect(gates.filter((g) => g.allow)).toEqual([expect.objectContaining({ probe: true, state: "half_open" })]);
    for (const g of gates.filter((g) => !g.allow)) expect(g.retryInMs).toBeLessThanOrEqual(policy.probeRetryMs);
    // The probe succeeded: closed for everyone.
    expect((await store.breaker(key, "success", policy)).state).toBe("closed");
    expect(await store.breaker(key, "pass", policy)).toMatchObject({ state: "closed", allow: true, probe: false, openUntil: null });
  });

  it("a failed probe reopens it with the cooldown doubled, capped at the max", async () => {
    const key = uniqueKey();
    await store.breaker(key, "hard_failure", policy);
    const cooldowns: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(520);
      expect(await store.breaker(key, "pass", policy)).toMatchObject({ allow: true, probe: true });
      const reopened = await store.breaker(key, "transient_failure", policy);
      expect(reopened.state).toBe("open");
      cooldowns.push((await store.breaker(key, "pass", policy)).retryInMs);
    }
    // 400, 500 (capped), 500: read back as time left, a few ms less.
    expect(cooldowns[0]).toBeGreaterThan(350);
    expect(cooldowns[0]).toBeLessThanOrEqual(400);
    expect(cooldowns[1]).toBeGreaterThan(450);
    expect(cooldowns[2]).toBeLessThanOrEqual(500);
  });

  it("late outcomes of sends begun before it opened change nothing while it is open", async () => {
    const key = uniqueKey();
    await store.breaker(key, "hard_failure", policy);
    expect((await store.breaker(key, "success", policy)).state).toBe("open");
    const before = await store.breaker(key, "read", policy);
    await store.breaker(key, "transient_failure", policy);
    expect((await store.breaker(key, "read", policy)).openUntil).toBe(before.openUntil);
  });

  it("lets another caller probe once the probe's lease ran out (its sender died)", async () => {
    const key = uniqueKey();
    await store.breaker(key, "hard_failure", policy);
    await sleep(250);
    expect((await store.breaker(key, "pass", policy)).probe).toBe(true);
    expect((await store.breaker(key, "pass", policy)).allow).toBe(false);
    await sleep(350);
    expect(await store.breaker(key, "pass", policy)).toMatchObject({ allow: true, probe: true });
  });

  it("keeps two breakers apart", async () => {
    const broken = uniqueKey();
    const healthy = uniqueKey();
    await store.breaker(broken, "hard_failure", policy);
    expect((await store.breaker(broken, "pass", policy)).allow).toBe(false);
    expect(await store.breaker(healthy, "pass", policy)).toMatchObject({ state: "closed", allow: true });
  });
});

// A port that was just free: connecting to it is refused at once.
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("unreachable lock store", () => {
  it.each([
    { name: "redis", make: async () => createLockStore({ redisUrl: "redis://127.0.0.1:1" }) },
    { name: "upstash", make: async () => createLockStore({ upstashUrl: `http://127.0.0.1:${await closedPort()}`, upstashToken: "t" }) },
  ])("$name: withLock throws AppError unavailable quickly and never runs fn", async ({ make }) => {
    const store = await make();
    const fn = vi.fn(async () => "ran");
    const startedAt = Date.now();
    const error = await withLock({ key: uniqueKey(), ttlMs: 5_000, store, fn }).catch((e: unknown) => e);
    expect(error instanceof AppError && error.code).toBe("unavailable");
    expect(fn).not.toHaveBeenCalled();
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    // Pacing and breakers fail closed the same way: no slot, no gate.
    await expect(store.reserve(pace())).rejects.toMatchObject({ code: "unavailable" });
    await expect(store.breaker(uniqueKey(), "pass", policy)).rejects.toMatchObject({ code: "unavailable" });
  });
});
