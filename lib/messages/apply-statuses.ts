import { queryRows } from "@/lib/db/client";
import { FOLD_EVENTS, STATUS_BY_NAME, UPDATE_MESSAGES } from "@/lib/messages/status-fold";
import type { WebhookStatus } from "@/lib/whatsapp/webhook-schema";

export type StatusInput = { connectionId: string; phoneNumberId: string; status: WebhookStatus };

// Records every status and folds them into their messages in one statement. The new events are not
// visible to the statement's other parts yet, so the fold reads the stored ones and the new ones by
// value; a concurrent fold of the same message waits on its row lock and then combines with it
// (rank maximum, earliest times), so neither loses the other's status.
const APPLY = `
  WITH v AS (
    SELECT * FROM json_to_recordset($1::json)
      AS v(wamid text, status text, ts timestamptz, pnid text, conn text, recipient text, code int, title text, details text, payload jsonb)
  ), target AS (
    SELECT DISTINCT m.id, m.wamid, v.pnid FROM v JOIN "Message" m ON m.wamid = v.wamid AND m.direction = 'OUTBOUND' AND m."connectionId" = v.conn
  ), recorded AS (
    INSERT INTO "MessageStatusEvent" (id, wamid, status, timestamp, "phoneNumberId", "recipientId", "errorCode", "errorTitle", "errorDetails", payload, "appliedAt", "createdAt")
    SELECT gen_random_uuid()::text, v.wamid, v.status::"MessageStatus", v.ts, v.pnid, v.recipient, v.code, v.title, v.details, v.payload,
           CASE WHEN EXISTS (SELECT 1 FROM target WHERE target.wamid = v.wamid) THEN now() END, now()
    FROM v ORDER BY v.wamid, v.status
    ON CONFLICT (wamid, status) DO NOTHING
  ), events AS (
    SELECT e.wamid, e.status::text AS status, e.timestamp, e."errorCode", e."errorTitle", e."errorDetails"
    FROM "MessageStatusEvent" e JOIN target ON target.wamid = e.wamid AND target.pnid = e."phoneNumberId"
    UNION ALL
    SELECT v.wamid, v.status, v.ts, v.code, v.title, v.details FROM v WHERE v.wamid IN (SELECT wamid FROM target)
  ), ${FOLD_EVENTS}, ${UPDATE_MESSAGES}
  SELECT wamid FROM updated`;

/**
 * Records statuses (any number, for any messages of any numbers) and folds each into its outbound
 * message — only a message of the number that reported it. Returns the wamids whose message was
 * updated; the others' events wait ("pending") until their message appears (foldStatusEvents).
 * Unknown status values are ignored.
 */
export async function applyStatuses(inputs: StatusInput[]): Promise<Set<string>> {
  const rows = inputs.flatMap(({ connectionId, phoneNumberId, status }) => {
    const mapped = STATUS_BY_NAME[status.status];
    if (!mapped) return [];
    const error = status.errors?.[0];
    return [
      {
        wamid: status.id,
        status: mapped,
        ts: new Date(Number(status.timestamp) * 1000).toISOString(),
        pnid: phoneNumberId,
        conn: connectionId,
        recipient: status.recipient_id ?? null,
        code: error?.code ?? null,
        title: error?.title ?? error?.message ?? null,
        details: error?.error_data?.details ?? null,
        payload: status,
      },
    ];
  });
  if (rows.length === 0) return new Set();
  const updated = await queryRows<{ wamid: string }>(APPLY, [JSON.stringify(rows)]);
  return new Set(updated.map((r) => r.wamid));
}

/** Whether a webhook status value is one we fold (others are ignored). */
export function isKnownStatus(status: WebhookStatus): boolean {
  return status.status in STATUS_BY_NAME;
}
