import { queryRows } from "@/lib/db/client";

export type ActivityInput = {
  workspaceId: string;
  connectionId?: string | null;
  type: string;
  summary: string;
  data?: unknown;
  /** One activity per fact: a second insert with the same key is skipped. */
  dedupeKey?: string | null;
};

/** Writes activity events in one statement (any number, any workspaces); duplicates by dedupeKey are skipped. */
export async function recordActivities(rows: ActivityInput[]): Promise<void> {
  if (rows.length === 0) return;
  const input = rows
    .map((r) => ({ ws: r.workspaceId, conn: r.connectionId ?? null, type: r.type, summary: r.summary, data: r.data ?? null, key: r.dedupeKey ?? null }))
    // Key order: concurrent writers of the same keys take their locks in the same order.
    .sort((a, b) => (a.key ?? "").localeCompare(b.key ?? ""));
  await queryRows(
    `INSERT INTO "ActivityEvent" (id, "workspaceId", "connectionId", type, summary, data, "dedupeKey", "createdAt")
     SELECT gen_random_uuid()::text, v.ws, v.conn, v.type, v.summary, v.data, v.key, now()
     FROM json_to_recordset($1::json) AS v(ws text, conn text, type text, summary text, data jsonb, key text)
     ON CONFLICT ("dedupeKey") DO NOTHING`,
    [JSON.stringify(input)],
  );
}
