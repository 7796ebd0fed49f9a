import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

const oldKey = randomBytes(32).toString("hex");
const newKey = randomBytes(32).toString("base64");
process.env.TOKEN_ENCRYPTION_KEY = `k2:${newKey},k1:${oldKey}`;
const { openToken, parseKeyring, sealToken } = await import("@/lib/crypto/token-vault");

describe("token vault", () => {
  it("seals with the newest key and opens again; only the last four characters are kept in clear", () => {
    const sealed = sealToken("EAAG-secret-token-1234", "ws_1");
    expect(sealed.keyId).toBe("k2");
    expect(sealed.last4).toBe("1234");
    expect(Buffer.from(sealed.ciphertext).toString("utf8")).not.toContain("secret");
    expect(openToken(sealed, "ws_1")).toBe("EAAG-secret-token-1234");
  });

  it("opens rows sealed with an older key of the ring (rotation without downtime)", () => {
    // A row written before k2 existed: sealed under k1, independently of the vault's own code.
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(oldKey, "hex"), iv);
    cipher.setAAD(Buffer.from("ws_1"));
    const ciphertext = Buffer.concat([cipher.update("old-token", "utf8"), cipher.final()]);
    expect(openToken({ keyId: "k1", iv, ciphertext, authTag: cipher.getAuthTag() }, "ws_1")).toBe("old-token");
    expect(() => openToken({ keyId: "k2", iv, ciphertext, authTag: cipher.getAuthTag() }, "ws_1")).toThrow();
    expect(() => openToken({ keyId: "gone", iv, ciphertext, authTag: cipher.getAuthTag() }, "ws_1")).toThrow(/not in TOKEN_ENCRYPTION_KEY/);
  });

  it("will not open a token moved to another workspace", () => {
    const sealed = sealToken("tenant-a-token", "ws_a");
    expect(() => openToken(sealed, "ws_b")).toThrow();
  });

  it("detects tampering", () => {
    const sealed = sealToken("tamper-me", "ws_1");
    sealed.ciphertext[0] = sealed.ciphertext[0]! ^ 1;
    expect(() => openToken(sealed, "ws_1")).toThrow();
  });

  it("refuses a key of the wrong length and names the variable, not the value", () => {
    expect(() => parseKeyring("k1:abcd")).toThrow(/TOKEN_ENCRYPTION_KEY/);
  });

  it("derives a stable id for a bare key", () => {
    const [a] = parseKeyring(oldKey);
    const [b] = parseKeyring(oldKey);
    expect(a?.id).toMatch(/^[0-9a-f]{8}$/);
    expect(a?.id).toBe(b?.id);
  });
});
