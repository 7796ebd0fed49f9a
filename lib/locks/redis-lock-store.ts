import { createClient } from "redis";
import { logger } from "@/lib/log/logger";
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

// TCP Redis (REDIS_URL). One client per URL, connected on first use and cached on globalThis so
// Next's separate module graphs and dev reloads share it. A down Redis must fail the request in
// seconds (the caller answers 503), so there is no reconnect loop and no offline queue: a dead
// client is dropped and the next call dials again.

const CONNECT_TIMEOUT_MS = 3_000;
const COMMAND_TIMEOUT_MS = 3_000;

const newClient = (url: string) =>
  createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false } });

type Client = ReturnType<typeof newClient>;
type Entry = { client: Client; ready: Promise<unknown>; connected: boolean };

const g = globalThis as typeof globalThis & { __whatrackRedisLocks?: Map<string, Entry> };
const clients: Map<string, Entry> = (g.__whatrackRedisLocks ??= new Map());

function forget(url: string, entry: Entry): void {
  if (clients.get(url) === entry) clients.delete(url);
  try {
    entry.client.destroy();
  } catch {
    // Already closed: nothing left to tear down.
  }
}

function entryFor(url: string): Entry {
  const cached = clients.get(url);
  // Reused while connecting or ready; connected-but-not-ready means the socket died (no reconnects).
  if (cached && (!cached.connected || cached.client.isReady)) return cached;
  if (cached) forget(url, cached);

  const client = newClient(url);
  // Without a listener an 'error' event would crash the process.
  client.on("error", (err: unknown) => logger.warn({ err }, "redis lock store: connection error"));
  const entry: Entry = { client, ready: Promise.resolve(), connected: false };
  entry.ready = client.connect().then(
    () => void (entry.connected = true),
    (err: unknown) => {
      forget(url, entry);
      throw err;
    },
  );
  clients.set(url, entry);
  return entry;
}

async function run<T>(url: string, command: string[]): Promise<T> {
  const entry = entryFor(url);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // A connection that stops answering is suspect: drop it so the next call starts fresh.
      forget(url, entry);
      reject(new Error(`Redis did not answer within ${COMMAND_TIMEOUT_MS} ms`));
    }, COMMAND_TIMEOUT_MS);
  });
  try {
    return await Promise.race([entry.ready.then(() => entry.client.sendCommand<T>(command)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createRedisLockStore(url: string): LockStore {
  const call = <T>(command: string[]) => guardStoreCall("redis", () => run<T>(url, command));
  return {
    kind: "redis",
    async acquire(key, token, ttlMs) {
      return (await call<string | null>(["SET", key, token, "NX", "PX", String(ttlMs)])) === "OK";
    },
    async release(key, token) {
      return (await call<number>(["EVAL", RELEASE_SCRIPT, "1", key, token])) === 1;
    },
    async extend(key, token, ttlMs) {
      return (await call<number>(["EVAL", EXTEND_SCRIPT, "1", key, token, String(ttlMs)])) === 1;
    },
    async hit(key, windowMs) {
      return call<number>(["EVAL", HIT_SCRIPT, "1", key, String(windowMs)]);
    },
    async refund(key) {
      await call<number>(["EVAL", REFUND_SCRIPT, "1", key]);
    },
    async reserve(request) {
      const { keys, args } = paceArgs(request);
      return guardStoreCall("redis", async () => paceResult(await run<unknown>(url, ["EVAL", PACE_SCRIPT, String(keys.length), ...keys, ...args])));
    },
    async breaker(key, event, policy) {
      const args = breakerArgs(event, policy);
      return guardStoreCall("redis", async () => breakerSnapshot(await run<unknown>(url, ["EVAL", BREAKER_SCRIPT, "1", key, ...args])));
    },
    async ping() {
      await call<string>(["PING"]);
    },
  };
}

/** Closes every cached client (tests, scripts and graceful shutdown). */
export async function closeRedisLockClients(): Promise<void> {
  for (const [url, entry] of [...clients]) forget(url, entry);
}
