import type { Logger } from "pino";
import { openToken } from "@/lib/crypto/token-vault";
import { prisma, queryRows } from "@/lib/db/client";
import type { TemplateSyncResult } from "@/lib/templates/templates-schemas";
import { GraphError } from "@/lib/whatsapp/graph-error";
import { listMessageTemplates, type TemplateInfo } from "@/lib/whatsapp/graph-client";

// One WABA's templates written in one statement: every template Graph listed is inserted or rewritten
// (the (workspaceId, wabaId, name, language) key), and every row of that WABA Graph no longer lists is
// marked DELETED — kept, so a send or a report naming it still finds what it was.
const UPSERT = `
  WITH v AS (
    SELECT DISTINCT ON (v.name, v.lang) v.* FROM json_to_recordset($1::json)
      AS v(tid text, name text, lang text, status text, category text, quality text, reason text, components jsonb)
    ORDER BY v.name, v.lang
  ), up AS (
    INSERT INTO "MessageTemplate" (id, "workspaceId", "wabaId", "metaTemplateId", name, language, category, status, quality, reason, components, "syncedAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, $2, $3, v.tid, v.name, v.lang, v.category, v.status, v.quality, v.reason, v.components, now(), now(), now() FROM v
    ON CONFLICT ("workspaceId", "wabaId", name, language) DO UPDATE SET
      "metaTemplateId" = EXCLUDED."metaTemplateId", category = EXCLUDED.category, status = EXCLUDED.status,
      quality = COALESCE(EXCLUDED.quality, "MessageTemplate".quality), reason = EXCLUDED.reason,
      components = EXCLUDED.components, "syncedAt" = EXCLUDED."syncedAt", "updatedAt" = now()
    RETURNING (xmax = 0) AS inserted
  ), gone AS (
    UPDATE "MessageTemplate" t SET status = 'DELETED', "syncedAt" = now(), "updatedAt" = now()
    WHERE t."workspaceId" = $2 AND t."wabaId" = $3 AND t.status <> 'DELETED'
      AND NOT EXISTS (SELECT 1 FROM v WHERE v.name = t.name AND v.lang = t.language)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM up WHERE inserted)::int AS created,
         (SELECT count(*) FROM up WHERE NOT inserted)::int AS updated,
         (SELECT count(*) FROM gone)::int AS deleted`;

type Counts = { created: number; updated: number; deleted: number };

/** Writes one WABA's complete template list for a workspace. */
async function storeTemplates(workspaceId: string, wabaId: string, templates: TemplateInfo[]): Promise<Counts> {
  const rows = templates.map((t) => ({
    tid: t.id,
    name: t.name,
    lang: t.language,
    status: t.status.toUpperCase(),
    category: t.category,
    quality: t.qualityScore,
    reason: t.rejectedReason,
    components: t.components,
  }));
  const [counts] = await queryRows<Counts>(UPSERT, [JSON.stringify(rows), workspaceId, wabaId]);
  return counts ?? { created: 0, updated: 0, deleted: 0 };
}

/**
 * The WABAs a workspace can reach and a token for each: its live connections (ACTIVE, or DISCONNECTED —
 * the number is offline, its account still answers) whose token Meta has not rejected. Numbers sharing a
 * WABA share its templates, so each WABA is listed once.
 */
async function reachableWabas(workspaceId: string): Promise<Array<{ wabaId: string; token: string }>> {
  const connections = await prisma.whatsAppConnection.findMany({
    where: { workspaceId, status: { in: ["ACTIVE", "DISCONNECTED"] }, token: { is: { isValid: true } } },
    orderBy: { createdAt: "asc" },
    select: { wabaId: true, token: true },
  });
  const wabas = new Map<string, { wabaId: string; token: string }>();
  for (const c of connections) if (c.token && !wabas.has(c.wabaId)) wabas.set(c.wabaId, { wabaId: c.wabaId, token: openToken(c.token, workspaceId) });
  return [...wabas.values()];
}

/**
 * Syncs a workspace's templates from Graph, every WABA it reaches. A WABA whose list Graph does not give
 * in full (token, permission, outage) is counted as failed and its rows are left untouched: a partial list
 * must never mark the rest DELETED. Graph errors of one WABA do not stop the others.
 */
export async function syncTemplates(workspaceId: string, log: Logger): Promise<TemplateSyncResult> {
  const result: TemplateSyncResult = { wabas: 0, failedWabas: 0, templates: 0, created: 0, updated: 0, deleted: 0 };
  for (const { wabaId, token } of await reachableWabas(workspaceId)) {
    let templates: TemplateInfo[];
    try {
      templates = await listMessageTemplates({ token, wabaId });
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      result.failedWabas++;
      log.warn({ wabaId, kind: err.kind, code: err.code, fbtraceId: err.fbtraceId }, "template sync: Graph did not list the templates");
      continue;
    }
    const counts = await storeTemplates(workspaceId, wabaId, templates);
    result.wabas++;
    result.templates += templates.length;
    result.created += counts.created;
    result.updated += counts.updated;
    result.deleted += counts.deleted;
  }
  return result;
}
