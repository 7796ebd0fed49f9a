import { Redis } from "@upstash/redis";
import {
  BREAKER_SCRIPT,
  EXTEND_SCRIPT,
  HIT_SCRIPT,
  PACE_SCRIPT,
  REFUND_SCRIPT,
  RELEASE_SCRIPT,
  breakerArgs,
  breakerSnapshot,
  guardStoreCall,
  paceArgs,
  paceResult,
  type LockStore,
} from "@/lib/locks/lock-store";

// Upstash's REST API (also what Vercel KV's KV_REST_API_* point at). Stateless HTTP, so there is
// no connection to cache; the client is cheap and holds only url, token and headers.

// The client's default is 5 retries with exponential backoff (~4 s against a closed port) and no
// timeout: one quick retry and a hard per-request deadline keep a down store to a fast 503.
const REQUEST_TIMEOUT_MS = 3_000;

export function createUpstashLockStore(url: string, token: string): LockStore {
  const redis = new Redis({
    url,
    token,
    retry: { retries: 1, backoff: () => 100 },
    // A function, not a signal: the client then throws on abort instead of faking a 200 "Aborted".
    signal: () => AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    // Lock replies are "OK"/null/0/1: nothing to JSON-parse.
    automaticDeserialization: false,
  });
  const call = <T>(fn: () => Promise<T>) => guardStoreCall("upstash", fn);

  return {
    kind: "upstash",
    async acquire(key, token, ttlMs) {
      return (await call(() => redis.set(key, token, { nx: true, px: ttlMs }))) === "OK";
    },
    async release(key, token) {
      return (await call(() => redis.eval<[string], number>(RELEASE_SCRIPT, [key], [token]))) === 1;
    },
    async extend(key, token, ttlMs) {
      return (await call(() => redis.eval<[string, string], number>(EXTEND_SCRIPT, [key], [token, String(ttlMs)]))) === 1;
    },
    async hit(key, windowMs) {
      return Number(await call(() => redis.eval<[string], number>(HIT_SCRIPT, [key], [String(windowMs)])));
    },
    async refund(key) {
      await call(() => redis.eval<[], number>(REFUND_SCRIPT, [key], []));
    },
    async reserve(request) {
      const { keys, args } = paceArgs(request);
      return call(async () => paceResult(await redis.eval<string[], unknown>(PACE_SCRIPT, keys, args)));
    },
    async breaker(key, event, policy) {
      return call(async () => breakerSnapshot(await redis.eval<string[], unknown>(BREAKER_SCRIPT, [key], breakerArgs(event, policy))));
    },
    async ping() {
      await call(() => redis.ping());
    },
  };
}
