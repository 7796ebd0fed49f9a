import { generateApiKey } from "@/lib/api-keys/api-key-secret";
import type { CreateApiKeyInput, CreatedApiKey } from "@/lib/api-keys/api-keys-schemas";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

// Enough for every integration a workspace runs; a bound so a script gone wrong cannot mint thousands.
export const MAX_ACTIVE_KEYS = 25;

/**
 * Creates a workspace API key. The key is in this answer only: the row holds its SHA-256 and its first
 * characters, and the audit log names the key's id and prefix, never the key.
 */
export async function createApiKey(db: ScopedDb, actor: { userId: string; email: string; workspaceId: string }, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  if ((await db.apiKey.count({ where: { revokedAt: null } })) >= MAX_ACTIVE_KEYS) {
    throw new AppError("conflict", `A workspace can have ${MAX_ACTIVE_KEYS} active API keys: revoke one first`);
  }
  const { key, prefix, keyHash } = generateApiKey();
  const row = await db.apiKey.create({
    data: { workspaceId: actor.workspaceId, name: input.name, prefix, keyHash, createdById: actor.userId },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
  await recordAudit({ actor: actor.email, action: "api_key.create", target: row.id, data: { workspaceId: actor.workspaceId, name: row.name, prefix } });
  return { ...row, key, createdAt: row.createdAt.toISOString() };
}
