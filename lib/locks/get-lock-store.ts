import { env, type Env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import type { LockStore } from "@/lib/locks/lock-store";
import { createMemoryLockStore } from "@/lib/locks/memory-lock-store";
import { createRedisLockStore } from "@/lib/locks/redis-lock-store";
import { createUpstashLockStore } from "@/lib/locks/upstash-lock-store";

export type LockStoreOptions = { redisUrl: string } | { upstashUrl: string; upstashToken: string } | { memory: true };

type LockEnv = Pick<
  Env,
  "DATABASE_URL" | "REDIS_URL" | "UPSTASH_REDIS_REST_URL" | "UPSTASH_REDIS_REST_TOKEN" | "KV_REST_API_URL" | "KV_REST_API_TOKEN"
>;

/**
 * Which store the environment asks for; null when a real database runs without a shared store.
 * That case fails closed: several instances on one PostgreSQL, each with its own in-memory
 * lock, would run the same job at once.
 */
export function lockStoreOptionsFromEnv(e: LockEnv): LockStoreOptions | null {
  if (e.REDIS_URL) return { redisUrl: e.REDIS_URL };
  if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN) {
    return { upstashUrl: e.UPSTASH_REDIS_REST_URL, upstashToken: e.UPSTASH_REDIS_REST_TOKEN };
  }
  if (e.KV_REST_API_URL && e.KV_REST_API_TOKEN) return { upstashUrl: e.KV_REST_API_URL, upstashToken: e.KV_REST_API_TOKEN };
  if (!e.DATABASE_URL) return { memory: true };
  return null;
}

export function createLockStore(options: LockStoreOptions): LockStore {
  if ("redisUrl" in options) return createRedisLockStore(options.redisUrl);
  if ("upstashUrl" in options) return createUpstashLockStore(options.upstashUrl, options.upstashToken);
  return createMemoryLockStore();
}

/** Every call throws, so no locked work runs until a shared store is configured. */
export function createUnconfiguredLockStore(): LockStore {
  const refuse = async (): Promise<never> => {
    throw new AppError("unavailable", "Lock store not configured: set REDIS_URL or UPSTASH_REDIS_REST_URL");
  };
  return { kind: "none", acquire: refuse, release: refuse, extend: refuse, hit: refuse, refund: refuse, reserve: refuse, breaker: refuse, ping: refuse };
}

// One store per process, on globalThis: the memory store only works if every module graph
// Next loads shares the same Map.
const g = globalThis as typeof globalThis & { __whatrackLockStore?: LockStore };

export function getLockStore(): LockStore {
  if (!g.__whatrackLockStore) {
    const options = lockStoreOptionsFromEnv(env);
    g.__whatrackLockStore = options ? createLockStore(options) : createUnconfiguredLockStore();
  }
  return g.__whatrackLockStore;
}
