import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { createConnection } from "@/lib/connections/create-connection";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

// Key rotation on a real database: tokens sealed under the old key are re-encrypted under the new one
// and still open to the same value; a second run, or two runs at once, change each row once.
// The key ring is read when the vault module loads, so the "after rotation" ring is a fresh module graph.

const oldRing = process.env.TOKEN_ENCRYPTION_KEY!;
const oldKeyId = oldRing.split(":")[0]!;

async function withNewKeyFirst() {
  process.env.TOKEN_ENCRYPTION_KEY = `k-new:${randomBytes(32).toString("hex")},${oldRing}`;
  vi.resetModules();
  const vault = await import("@/lib/crypto/token-vault");
  const { rotateTokenKeys } = await import("@/lib/crypto/rotate-token-keys");
  return { ...vault, rotateTokenKeys };
}

async function seedTokens(count: number) {
  const workspace = await createWorkspace({ name: "Rotation", slug: `rotation-${randomBytes(4).toString("hex")}` });
  const plain = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const token = `EAAR${randomBytes(20).toString("hex")}`;
    const c = await createConnection({ workspaceId: workspace.id, wabaId: `7${i}${Date.now()}`, phoneNumberId: `8${i}${randomBytes(4).readUInt32BE()}`, accessToken: token });
    plain.set(c.tokenId!, token);
  }
  return { workspaceId: workspace.id, plain };
}

describe("rotateTokenKeys", () => {
  it("re-encrypts every token sealed with an older key, in batches; rows still open; a second run does nothing", async () => {
    const { workspaceId, plain } = await seedTokens(7);
    const before = await prisma.accessToken.findMany({ where: { workspaceId } });
    expect(new Set(before.map((t) => t.keyId))).toEqual(new Set([oldKeyId]));

    const { rotateTokenKeys, openToken, currentKeyId } = await withNewKeyFirst();
    expect(currentKeyId()).toBe("k-new");
    // Old rows stay readable before rotation (no downtime).
    for (const t of before) expect(openToken(t, workspaceId)).toBe(plain.get(t.id));

    const partial = await rotateTokenKeys({ batchSize: 3, maxBatches: 1 });
    expect(partial).toMatchObject({ keyId: "k-new", rotated: 3, failed: 0, hasMore: true, remaining: 4 });

    const rest = await rotateTokenKeys({ batchSize: 3 });
    expect(rest).toMatchObject({ rotated: 4, skipped: 0, failed: 0, remaining: 0, hasMore: false });

    const after = await prisma.accessToken.findMany({ where: { workspaceId } });
    for (const t of after) {
      const old = before.find((b) => b.id === t.id)!;
      expect(t.keyId).toBe("k-new");
      expect(Buffer.from(t.ciphertext).equals(Buffer.from(old.ciphertext))).toBe(false);
      expect(t.last4).toBe(old.last4);
      expect(openToken(t, workspaceId)).toBe(plain.get(t.id));
    }

    expect(await rotateTokenKeys()).toMatchObject({ rotated: 0, skipped: 0, failed: 0, remaining: 0 });
  });

  it("two runs at once rotate each row exactly once", async () => {
    // Fresh rows sealed under the old key, by a vault that knows only it.
    process.env.TOKEN_ENCRYPTION_KEY = oldRing;
    vi.resetModules();
    const { createConnection: createWithOldRing } = await import("@/lib/connections/create-connection");
    const workspace = await createWorkspace({ name: "Race", slug: `race-${randomBytes(4).toString("hex")}` });
    const plain = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      const token = `EAAC${randomBytes(20).toString("hex")}`;
      const c = await createWithOldRing({ workspaceId: workspace.id, wabaId: `9${i}${Date.now()}`, phoneNumberId: `6${i}${randomBytes(4).readUInt32BE()}`, accessToken: token });
      plain.set(c.tokenId!, token);
    }

    const { rotateTokenKeys, openToken } = await withNewKeyFirst();
    const [a, b] = await Promise.all([rotateTokenKeys({ batchSize: 5 }), rotateTokenKeys({ batchSize: 5 })]);
    expect(a.rotated + b.rotated).toBe(12);
    expect(a.failed + b.failed).toBe(0);
    const rows = await prisma.accessToken.findMany({ where: { workspaceId: workspace.id } });
    for (const t of rows) {
      expect(t.keyId).toBe("k-new");
      expect(openToken(t, workspace.id)).toBe(plain.get(t.id));
    }
  });

  it("counts a row whose key left the ring as failed and carries on", async () => {
    process.env.TOKEN_ENCRYPTION_KEY = oldRing;
    vi.resetModules();
    const { workspaceId } = await seedTokens(0);
    const { sealToken } = await import("@/lib/crypto/token-vault");
    const sealed = sealToken("EAAGorphan-token-value", workspaceId);
    await prisma.accessToken.create({ data: { ...sealed, keyId: "k-gone", workspaceId } });
    await prisma.accessToken.create({ data: { ...sealToken("EAAGlive-token-value", workspaceId), workspaceId } });

    const { rotateTokenKeys } = await withNewKeyFirst();
    const result = await rotateTokenKeys();
    expect(result.failed).toBe(1);
    expect(result.remaining).toBe(1);
    expect(result.rotated).toBe(1);
  });
});
