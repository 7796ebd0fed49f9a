import { queryRows } from "@/lib/db/client";
import type { TemplateUpdate } from "@/lib/webhooks/parse-delivery";

export type TemplateUpdateInput = { wabaId: string; update: TemplateUpdate };

// A template is the same across webhook and sync by Meta's id, or by (name, language) for a row whose id
// changed (a template deleted and created again under its name). Each statement takes any number of
// updates for any WABAs; within one call the last update of a template wins (`ord`), and applying the
// same updates again changes nothing.
const MATCH = `t."wabaId" = v.waba AND (t."metaTemplateId" = v.tid OR (t.name = v.name AND t.language = v.lang))`;

// Every workspace whose live numbers are on the WABA keeps its own rows of it (lib/templates/sync-templates.ts).
// A status for a template no row knows yet (created and approved since the last sync) is inserted for each
// of them, with the webhook's facts and no components: it can be sent at once, and the next sync fills in
// the rest. FLAGGED changes no status (the template can still be sent while Meta watches its quality).
const APPLY_STATUS = `
  WITH v AS (
    SELECT DISTINCT ON (v.waba, v.tid) v.* FROM json_to_recordset($1::json)
      AS v(ord int, waba text, tid text, name text, lang text, status text, reason text, category text)
    ORDER BY v.waba, v.tid, v.ord DESC
  ), updated AS (
    UPDATE "MessageTemplate" t SET
      status = COALESCE(v.status, t.status),
      reason = CASE WHEN v.status IS NULL THEN COALESCE(v.reason, t.reason) ELSE v.reason END,
      category = COALESCE(v.category, t.category),
      "metaTemplateId" = v.tid,
      "updatedAt" = now()
    FROM v WHERE ${MATCH}
    RETURNING t.id
  ), inserted AS (
    INSERT INTO "MessageTemplate" (id, "workspaceId", "wabaId", "metaTemplateId", name, language, category, status, quality, reason, components, "syncedAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, w."workspaceId", v.waba, v.tid, v.name, v.lang, v.category, v.status, NULL, v.reason, '[]'::jsonb, now(), now(), now()
    FROM v JOIN (SELECT DISTINCT "workspaceId", "wabaId" FROM "WhatsAppConnection" WHERE status <> 'REMOVED') w ON w."wabaId" = v.waba
    WHERE v.status IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "MessageTemplate" t WHERE t."workspaceId" = w."workspaceId" AND ${MATCH})
    ON CONFLICT ("workspaceId", "wabaId", name, language) DO NOTHING
    RETURNING id
  )
  SELECT (SELECT count(*) FROM updated)::int AS updated, (SELECT count(*) FROM inserted)::int AS inserted`;

// A quality score for a template no row knows is dropped: the next sync brings the template with its score.
const APPLY_QUALITY = `
  WITH v AS (
    SELECT DISTINCT ON (v.waba, v.tid) v.* FROM json_to_recordset($1::json)
      AS v(ord int, waba text, tid text, name text, lang text, quality text)
    ORDER BY v.waba, v.tid, v.ord DESC
  ), updated AS (
    UPDATE "MessageTemplate" t SET quality = v.quality, "metaTemplateId" = v.tid, "updatedAt" = now()
    FROM v WHERE ${MATCH}
    RETURNING t.id
  )
  SELECT (SELECT count(*) FROM updated)::int AS updated, 0 AS inserted`;

// Meta's status events that are not the template's status.
const EVENT_STATUS: Record<string, string | null> = { REINSTATED: "APPROVED", FLAGGED: null };

type Applied = { updated: number; inserted: number };

/** Applies template status and quality webhooks, in two statements at most. */
export async function applyTemplateUpdates(inputs: TemplateUpdateInput[]): Promise<Applied> {
  const base = (i: TemplateUpdateInput, ord: number) => ({ ord, waba: i.wabaId, tid: i.update.metaTemplateId, name: i.update.name, lang: i.update.language });
  const statuses = inputs.flatMap((i, ord) =>
    i.update.kind === "status" ? [{ ...base(i, ord), status: i.update.event in EVENT_STATUS ? EVENT_STATUS[i.update.event] : i.update.event, reason: i.update.reason, category: i.update.category }] : [],
  );
  const qualities = inputs.flatMap((i, ord) => (i.update.kind === "quality" ? [{ ...base(i, ord), quality: i.update.quality }] : []));
  const total: Applied = { updated: 0, inserted: 0 };
  for (const [sql, rows] of [
    [APPLY_STATUS, statuses],
    [APPLY_QUALITY, qualities],
  ] as const) {
    if (rows.length === 0) continue;
    const [counts] = await queryRows<Applied>(sql, [JSON.stringify(rows)]);
    total.updated += counts?.updated ?? 0;
    total.inserted += counts?.inserted ?? 0;
  }
  return total;
}
