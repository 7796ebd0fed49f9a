import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";

process.env.TOKEN_ENCRYPTION_KEY ??= `t1:${randomBytes(32).toString("hex")}`;
const vault = await import("@/lib/crypto/token-vault");

// The cache module is loaded after the timers are faked, so lru-cache's clock is the fake one.
let cache: typeof import("@/lib/outbound/credential-cache");
let opened: ReturnType<typeof vi.spyOn>;

const row = (plain: string, id = "tok_1", updatedAt = new Date("2026-12-03T10:00:00Z"), workspaceId = "ws_1") => ({
  id,
  workspaceId,
  updatedAt,
  ...vault.sealToken(plain, workspaceId),
});

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date", "performance", "setTimeout", "clearTimeout"] });
  // The fake performance clock starts at 0, which lru-cache reads as "no start time" (no TTL).
  vi.advanceTimersByTime(1_000);
  vi.resetModules();
  delete (globalThis as { __whatrackTokenCache?: unknown }).__whatrackTokenCache;
  const freshVault = await import("@/lib/crypto/token-vault");
  opened = vi.spyOn(freshVault, "openToken");
  cache = await import("@/lib/outbound/credential-cache");
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("credential cache", () => {
  it("decrypts once, then serves the plaintext from memory", () => {
    const token = row("EAAG-first");
    expect(cache.getCachedToken(token)).toBe("EAAG-first");
    expect(cache.getCachedToken(token)).toBe("EAAG-first");
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it("keeps an entry 15 minutes at most, even when it is read all along", () => {
    const token = row("EAAG-ttl");
    cache.getCachedToken(token);
    for (let minute = 1; minute < 15; minute++) {
      vi.advanceTimersByTime(60_000);
      cache.getCachedToken(token);
    }
    expect(opened).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000 + 1);
    cache.getCachedToken(token);
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it("misses when the row changed (a new token under the same id)", () => {
    cache.getCachedToken(row("EAAG-old"));
    expect(cache.getCachedToken(row("EAAG-new", "tok_1", new Date("2026-12-03T11:00:00Z")))).toBe("EAAG-new");
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it("forgetToken drops one token and leaves the others", () => {
    const a = row("EAAG-a", "tok_a");
    const b = row("EAAG-b", "tok_b");
    cache.getCachedToken(a);
    cache.getCachedToken(b);
    cache.forgetToken("tok_a");
    expect(cache.getCachedToken(a)).toBe("EAAG-a");
    expect(cache.getCachedToken(b)).toBe("EAAG-b");
    expect(opened).toHaveBeenCalledTimes(3);
  });

  it("does not open a token with another workspace's id (the vault's binding still holds)", () => {
    const token = { ...row("EAAG-x"), workspaceId: "ws_other" };
    expect(() => cache.getCachedToken(token)).toThrow();
  });
});
