import { queryRows } from "@/lib/db/client";
import { FOLD_EVENTS, UPDATE_MESSAGES } from "@/lib/messages/status-fold";

// Folds every recorded event of these wamids, each reported by its message's own number, into the messages.
const FOLD = `
  WITH target AS (
    SELECT m.id, m.wamid, c."phoneNumberId" AS pnid FROM "Message" m JOIN "WhatsAppConnection" c ON c.id = m."connectionId"
    WHERE m.wamid IN (SELECT json_array_elements_text($1::json)) AND m.direction = 'OUTBOUND'
  ), events AS (
    SELECT e.wamid, e.status::text AS status, e.timestamp, e."errorCode", e."errorTitle", e."errorDetails"
    FROM "MessageStatusEvent" e JOIN target ON target.wamid = e.wamid AND target.pnid = e."phoneNumberId"
  ), marked AS (
    UPDATE "MessageStatusEvent" e SET "appliedAt" = now() FROM target
    WHERE e.wamid = target.wamid AND e."phoneNumberId" = target.pnid AND e."appliedAt" IS NULL
  ), ${FOLD_EVENTS}, ${UPDATE_MESSAGES}
  SELECT count(*)::int AS applied FROM updated`;

/**
 * Applies the statuses that arrived before their outbound messages were stored (Meta's status can
 * beat our own insert of the message it is about). One wamid or a batch's; idempotent; returns how
 * many messages were updated.
 */
export async function foldStatusEvents(wamids: string | string[]): Promise<number> {
  const list = typeof wamids === "string" ? [wamids] : wamids;
  if (list.length === 0) return 0;
  const [row] = await queryRows<{ applied: number }>(FOLD, [JSON.stringify(list)]);
  return row?.applied ?? 0;
}
