import type { ApiKeyView } from "@/lib/api-keys/api-keys-schemas";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

export const apiKeySelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

type Row = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** The workspace's API keys, newest first, revoked ones included (with when): never the key or its hash. */
export async function listApiKeys(db: ScopedDb): Promise<ApiKeyView[]> {
  const rows = await db.apiKey.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: apiKeySelect });
  return rows.map(toApiKeyView);
}

export function toApiKeyView(row: Row): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
