import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { createLockStore, createUnconfiguredLockStore } from "@/lib/locks/get-lock-store";
import type { LockStore } from "@/lib/locks/lock-store";
import { closeRedisLockClients } from "@/lib/locks/redis-lock-store";
import { getBreakerState, passBreaker, recordSendFailure, recordSendSuccess } from "@/lib/outbound/circuit-breaker";
import { reserveSendSlot } from "@/lib/outbound/reserve-send-slot";
import { startUpstashBridge, type UpstashBridge } from "@/tests/helpers/upstash-bridge";

// The outbound drain's limits as it calls them: pacing and the per-connection breaker over the shared
// store (memory always; TCP Redis and Upstash REST when TEST_REDIS_URL is set).

const redisUrl = process.env.TEST_REDIS_URL;
const BRIDGE_TOKEN = `bridge-${randomUUID()}`;
let bridge: UpstashBridge | undefined;

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

const connection = () => `conn_${randomUUID()}`;
const fast = { cooldownMs: 150, maxCooldownMs: 1_000, probeLeaseMs: 5_000, probeRetryMs: 100 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(stores)("$name store: reserveSendSlot", ({ make }) => {
  let store: LockStore;
  beforeAll(() => {
    store = make();
  });

  it("gives 200 concurrent senders at 80/s a slot each, none before now, 12.5 ms apart on our clock too", async () => {
    const connectionId = connection();
    // A drain that has been running knows the store's clock: a few replies before the burst teach it.
    for (let i = 0; i < 5; i++) await reserveSendSlot({ connectionId: connection(), ratePerSecond: 80, to: "1", pairIntervalMs: 0, maxWaitMs: 0 }, store);
    // At 4/s on this number, this one puts the burst's slots 250 ms out, past the replies' own delay (a slot
    // already due when its reply arrives is "now", whatever its spacing).
    await reserveSendSlot({ connectionId, ratePerSecond: 4, to: "1", pairIntervalMs: 0, maxWaitMs: 0 }, store);
    const startedAt = Date.now();
    const slots = await Promise.all(
      Array.from({ length: 200 }, (_, i) => reserveSendSlot({ connectionId, ratePerSecond: 80, to: `1555000${i}`, pairIntervalMs: 6_000, maxWaitMs: 5_000 }, store)),
    );
    const times = slots.map((s) => (s.ok ? s.sendAt : Number.NaN)).sort((a, b) => a - b);
    expect(times.every((t) => t >= startedAt)).toBe(true);
    // Translated to our clock by one offset, the store's exact 12.5 ms spacing (lock-store.test.ts) survives
    // within Date.now()'s whole millisecond: so at most one more in a second that starts on a slot.
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(12.5 - 1);
    for (const from of times) expect(times.filter((t) => t >= from && t < from + 1000).length).toBeLessThanOrEqual(81);
  });

  it("treats one recipient written two ways as one pair, and a pair interval of 0 as none", async () => {
    const connectionId = connection();
    const slot = (to: string, pairIntervalMs = 6_000) => reserveSendSlot({ connectionId, ratePerSecond: 1_000, to, pairIntervalMs, maxWaitMs: 1_000 }, store);
    expect((await slot("+1 555-0100")).ok).toBe(true);
    expect(await slot("15550100")).toMatchObject({ ok: false, reason: "pair_rate" });
    const refused = await slot("15550100");
    expect(!refused.ok && refused.retryInMs).toBeGreaterThan(4_500);
    expect((await slot("15550199")).ok).toBe(true);
    // Pair limits are per connection; and without one, the same recipient is paced by the number only.
    const other = connection();
    expect((await reserveSendSlot({ connectionId: other, ratePerSecond: 80, to: "15550100", pairIntervalMs: 6_000, maxWaitMs: 0 }, store)).ok).toBe(true);
    expect((await slot("15550300", 0)).ok).toBe(true);
    expect((await slot("15550300", 0)).ok).toBe(true);
  });

  it("refuses what it cannot book within maxWaitMs, with the time left in ms", async () => {
    const request = { connectionId: connection(), ratePerSecond: 2, to: "15550100", pairIntervalMs: 0, maxWaitMs: 100 };
    expect((await reserveSendSlot(request, store)).ok).toBe(true);
    const refused = await reserveSendSlot(request, store);
    expect(refused).toMatchObject({ ok: false, reason: "number_rate" });
    expect(!refused.ok && refused.retryInMs).toBeGreaterThan(300);
    expect(!refused.ok && refused.retryInMs).toBeLessThanOrEqual(400);
  });

  it("rejects a rate it cannot keep", async () => {
    const bad = { connectionId: connection(), to: "1", pairIntervalMs: 0, maxWaitMs: 0 };
    await expect(reserveSendSlot({ ...bad, ratePerSecond: 0 }, store)).rejects.toThrow(RangeError);
    await expect(reserveSendSlot({ ...bad, ratePerSecond: Number.NaN }, store)).rejects.toThrow(RangeError);
    await expect(reserveSendSlot({ ...bad, ratePerSecond: 80, maxWaitMs: -1 }, store)).rejects.toThrow(RangeError);
  });
});

describe.runIf(redisUrl)("pacing keys in Redis", () => {
  it("name no phone number and expire on their own", async () => {
    const connectionId = connection();
    await reserveSendSlot({ connectionId, ratePerSecond: 80, to: "+15550123456", pairIntervalMs: 6_000, maxWaitMs: 0 }, createLockStore({ redisUrl: redisUrl! }));
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      const keys = await redis.keys(`${env.REDIS_KEY_PREFIX}:pace:{${connectionId}}:*`);
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        expect(key).not.toContain("5550123456");
        const ttl = await redis.pTTL(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(6_000 + 1_000);
      }
    } finally {
      redis.destroy();
    }
  });
});

describe.each(stores)("$name store: circuit breaker", ({ make }) => {
  let store: LockStore;
  beforeAll(() => {
    store = make();
  });

  it("opens after 5 transient failures in a row (the default), at once on auth or restricted", async () => {
    const transient = connection();
    for (let i = 0; i < 4; i++) await recordSendFailure(transient, "transient", { store });
    expect(await passBreaker(transient, { store })).toEqual({ allow: true, probe: false });
    await recordSendFailure(transient, "transient", { store });
    expect(await passBreaker(transient, { store })).toMatchObject({ allow: false, state: "open" });

    for (const kind of ["auth", "restricted"] as const) {
      const id = connection();
      await recordSendFailure(id, kind, { store });
      const state = await getBreakerState(id, { store });
      expect(state.state).toBe("open");
      expect(state.openUntil).toBeGreaterThan(Date.now() + 25_000);
    }
  });

  it("goes half-open after the cooldown, gives one probe to 20 concurrent senders, and closes on its success", async () => {
    const id = connection();
    await recordSendFailure(id, "auth", { store, policy: fast });
    expect(await passBreaker(id, { store, policy: fast })).toMatchObject({ allow: false, state: "open" });
    await sleep(200);
    expect((await getBreakerState(id, { store })).state).toBe("half_open");
    const gates = await Promise.all(Array.from({ length: 20 }, () => passBreaker(id, { store, policy: fast })));
    expect(gates.filter((g) => g.allow)).toEqual([{ allow: true, probe: true }]);
    expect(gates.filter((g) => !g.allow).every((g) => !g.allow && g.state === "half_open" && g.retryInMs <= 100)).toBe(true);
    await recordSendSuccess(id, { store, policy: fast });
    expect(await getBreakerState(id, { store })).toEqual({ state: "closed", openUntil: null });
    expect(await passBreaker(id, { store })).toEqual({ allow: true, probe: false });
  });

  it("reopens on a failed probe for twice the cooldown", async () => {
    const id = connection();
    await recordSendFailure(id, "restricted", { store, policy: fast });
    await sleep(200);
    expect(await passBreaker(id, { store, policy: fast })).toEqual({ allow: true, probe: true });
    await recordSendFailure(id, "transient", { store, policy: fast });
    const gate = await passBreaker(id, { store, policy: fast });
    expect(gate).toMatchObject({ allow: false, state: "open" });
    expect(!gate.allow && gate.retryInMs).toBeGreaterThan(250);
  });

  it("one connection's open breaker leaves another's sends alone", async () => {
    const broken = connection();
    const healthy = connection();
    await recordSendFailure(broken, "auth", { store });
    expect((await passBreaker(broken, { store })).allow).toBe(false);
    expect(await passBreaker(healthy, { store })).toEqual({ allow: true, probe: false });
    expect(await getBreakerState(healthy, { store })).toEqual({ state: "closed", openUntil: null });
  });
});

describe.runIf(redisUrl)("breaker across instances", () => {
  it("gives exactly one probe to callers on two clients at once", async () => {
    const tcp = createLockStore({ redisUrl: redisUrl! });
    const rest = createLockStore({ upstashUrl: bridge!.url, upstashToken: BRIDGE_TOKEN });
    const id = connection();
    await recordSendFailure(id, "auth", { store: tcp, policy: fast });
    await sleep(200);
    const gates = await Promise.all(Array.from({ length: 40 }, (_, i) => passBreaker(id, { store: i % 2 ? tcp : rest, policy: fast })));
    expect(gates.filter((g) => g.allow)).toHaveLength(1);
  });
});

describe("no shared store", () => {
  it("fails closed: no slot and no gate", async () => {
    const store = createUnconfiguredLockStore();
    await expect(reserveSendSlot({ connectionId: connection(), ratePerSecond: 80, to: "1", pairIntervalMs: 0, maxWaitMs: 0 }, store)).rejects.toMatchObject({
      code: "unavailable",
    });
    await expect(passBreaker(connection(), { store })).rejects.toMatchObject({ code: "unavailable" });
  });
});
