import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "@/lib/api-keys/api-key-secret";

describe("API key secrets", () => {
  it("generates distinct keys whose hash is what hashApiKey computes", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.keyHash).toBe(hashApiKey(a.key));
    expect(a.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.prefix.length).toBeLessThan(a.key.length / 3);
  });

  it("recognises its own keys only", () => {
    expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
    expect(looksLikeApiKey("Bearer something")).toBe(false);
    expect(looksLikeApiKey("wt_short")).toBe(false);
  });
});
