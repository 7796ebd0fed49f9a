import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/app-error";
import { createLockStore, createUnconfiguredLockStore, lockStoreOptionsFromEnv } from "@/lib/locks/get-lock-store";
import { withLock } from "@/lib/locks/with-lock";

const PG = "postgres://u:p@db.example:5432/whatrack";
const none = {
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  UPSTASH_REDIS_REST_URL: undefined,
  UPSTASH_REDIS_REST_TOKEN: undefined,
  KV_REST_API_URL: undefined,
  KV_REST_API_TOKEN: undefined,
};

describe("lockStoreOptionsFromEnv", () => {
  it("prefers REDIS_URL over everything else", () => {
    const env = { ...none, DATABASE_URL: PG, REDIS_URL: "redis://r:6379", UPSTASH_REDIS_REST_URL: "https://u", UPSTASH_REDIS_REST_TOKEN: "t" };
    expect(lockStoreOptionsFromEnv(env)).toEqual({ redisUrl: "redis://r:6379" });
  });

  it("uses Upstash's names, then Vercel KV's", () => {
    const upstash = { ...none, UPSTASH_REDIS_REST_URL: "https://u", UPSTASH_REDIS_REST_TOKEN: "t", KV_REST_API_URL: "https://kv", KV_REST_API_TOKEN: "k" };
    expect(lockStoreOptionsFromEnv(upstash)).toEqual({ upstashUrl: "https://u", upstashToken: "t" });
    const kv = { ...none, DATABASE_URL: PG, KV_REST_API_URL: "https://kv", KV_REST_API_TOKEN: "k" };
    expect(lockStoreOptionsFromEnv(kv)).toEqual({ upstashUrl: "https://kv", upstashToken: "k" });
  });

  it("falls back to memory only with the embedded database", () => {
    expect(lockStoreOptionsFromEnv(none)).toEqual({ memory: true });
  });

  it("returns null (fail closed) with PostgreSQL and no shared store", () => {
    expect(lockStoreOptionsFromEnv({ ...none, DATABASE_URL: PG })).toBeNull();
  });
});

describe("createLockStore", () => {
  it("builds the store each option names", () => {
    expect(createLockStore({ memory: true }).kind).toBe("memory");
    expect(createLockStore({ redisUrl: "redis://127.0.0.1:1" }).kind).toBe("redis");
    expect(createLockStore({ upstashUrl: "https://u.example", upstashToken: "t" }).kind).toBe("upstash");
  });
});

describe("unconfigured lock store", () => {
  it("refuses every call, so withLock never runs the work", async () => {
    const store = createUnconfiguredLockStore();
    let ran = false;
    const error = await withLock({ key: "k", ttlMs: 1_000, store, fn: async () => (ran = true) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "unavailable", message: expect.stringContaining("REDIS_URL") });
    expect(ran).toBe(false);
    await expect(store.ping()).rejects.toMatchObject({ code: "unavailable" });
    // Pacing and breakers too: no shared store, no sends.
    const pace = { numberKey: "n", intervalUs: 12_500, pairKey: null, pairIntervalUs: 0, maxWaitUs: 0 };
    await expect(store.reserve(pace)).rejects.toMatchObject({ code: "unavailable" });
    const policy = { transientThreshold: 5, cooldownMs: 1, maxCooldownMs: 1, probeLeaseMs: 1, probeRetryMs: 1 };
    await expect(store.breaker("b", "pass", policy)).rejects.toMatchObject({ code: "unavailable" });
  });
});
