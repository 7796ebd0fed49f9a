import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/http/app-error";
import { createLockStore } from "@/lib/locks/get-lock-store";
import type { LockStore } from "@/lib/locks/lock-store";
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
  });
});
