import type { ApiKeyView } from "@/lib/api-keys/api-keys-schemas";
import { apiKeySelect, toApiKeyView } from "@/lib/api-keys/list-api-keys";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

/**
 * Revokes a key: from this moment it authenticates nothing. The row stays (listed as revoked, for the
 * record). Revoking a revoked key changes nothing and answers it again; another workspace's key is 404.
 */
export async function revokeApiKey(db: ScopedDb, actor: { email: string; workspaceId: string }, id: string): Promise<ApiKeyView> {
  // Guarded by revokedAt: null, so the first revocation's time stands and only it is audited.
  const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await db.apiKey.findUnique({ where: { id }, select: apiKeySelect });
  if (!row) throw new AppError("not_found", "API key not found");
  if (count === 1) await recordAudit({ actor: actor.email, action: "api_key.revoke", target: row.id, data: { workspaceId: actor.workspaceId, name: row.name, prefix: row.prefix } });
  return toApiKeyView(row);
}
