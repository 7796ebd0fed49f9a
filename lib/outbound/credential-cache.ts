import { LRUCache } from "lru-cache";
import { openToken } from "@/lib/crypto/token-vault";

// Decrypted access tokens, in this process's memory only (never Redis, never logs): a drain sending
// thousands of messages decrypts each connection's token once, not once per send. An entry lives at
// most 15 minutes from its decryption (reads do not extend it), and a row whose updatedAt moved on (new
// token, re-sealed under a rotated key, marked invalid) misses, so a changed token is never served stale.

const TTL_MS = 15 * 60 * 1000;
// Bounded: one entry per connection in use; the least recently used go first beyond this.
const MAX_TOKENS = 5_000;

type Entry = { version: number; plain: string };

export type SealedTokenRow = {
  id: string;
  /** The AccessToken row's own, bound into the ciphertext (token-vault): the row as read has it. */
  workspaceId: string;
  updatedAt: Date;
  keyId: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  authTag: Uint8Array;
};

const g = globalThis as typeof globalThis & { __whatrackTokenCache?: LRUCache<string, Entry> };
// On globalThis: Next's separate module graphs in one process then share one cache (and one forgetToken).
// The clock is looked up on each read (lru-cache would keep the one it found at import), so the TTL test's
// fake timers drive the same code path.
const cache: LRUCache<string, Entry> = (g.__whatrackTokenCache ??= new LRUCache<string, Entry>({
  max: MAX_TOKENS,
  ttl: TTL_MS,
  perf: { now: () => performance.now() },
}));

/** The token's plaintext: from the cache when this version of the row was decrypted in the last 15 minutes. */
export function getCachedToken(token: SealedTokenRow): string {
  const version = token.updatedAt.getTime();
  const hit = cache.get(token.id);
  if (hit && hit.version === version) return hit.plain;
  const plain = openToken(token, token.workspaceId);
  cache.set(token.id, { version, plain });
  return plain;
}

/** Drops a token (Graph said 190, the token was replaced or disconnected): the next use decrypts the row again. */
export function forgetToken(tokenId: string): void {
  cache.delete(tokenId);
}
