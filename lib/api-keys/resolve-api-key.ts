import { prisma } from "@/lib/db/client";
import { hashApiKey, looksLikeApiKey } from "@/lib/api-keys/api-key-secret";

export type ApiKeyCaller = { apiKeyId: string; workspaceId: string; prefix: string };

// lastUsedAt is for the key list ("used 3 minutes ago"): written at most once a minute per key, so a
// busy integration does not turn every call into a write.
const TOUCH_EVERY_MS = 60_000;

/**
 * The workspace a presented API key acts for, or null when it is not one of ours or was revoked.
 * Looked up by its SHA-256 (the only form stored); the key itself is never logged or kept.
 */
export async function resolveApiKey(presented: string): Promise<ApiKeyCaller | null> {
  if (!looksLikeApiKey(presented)) return null;
  const key = await prisma.apiKey.findUnique({
    where: { keyHash: hashApiKey(presented) },
    select: { id: true, workspaceId: true, prefix: true, revokedAt: true, lastUsedAt: true },
  });
  if (!key || key.revokedAt) return null;
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    // Guarded: concurrent calls of one key write once.
    await prisma.apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(Date.now() - TOUCH_EVERY_MS) } }] },
      data: { lastUsedAt: new Date() },
    });
  }
  return { apiKeyId: key.id, workspaceId: key.workspaceId, prefix: key.prefix };
}
