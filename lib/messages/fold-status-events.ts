import { queryRows } from "@/lib/db/client";
import { FOLD_EVENTS, UPDATE_MESSAGES } from "@/lib/messages/status-fold";

// Folds every recorded event of a wamid, reported by the message's own number, into the message.
const FOLD = `
  WITH target AS (
    SELECT m.id, m.wamid, c."phoneNumberId" AS pnid FROM "Message" m JOIN "WhatsAppConnection" c ON c.id = m."connectionId"
    WHERE m.wamid = $1::text AND m.direction = 'OUTBOUND'
  ), events AS (
    SELECT e.wamid, e.status::text AS status, e.timestamp, e."errorCode", e."errorTitle", e."errorDetails"
    FROM "MessageStatusEvent" e JOIN target ON target.wamid = e.wamid AND target.pnid = e."phoneNumberId"
  ), marked AS (
    UPDATE "MessageStatusEvent" e SET "appliedAt" = now() FROM target
    WHERE e.wamid = target.wamid AND e."phoneNumberId" = target.pnid AND e."appliedAt" IS NULL
  ), ${FOLD_EVENTS}, ${UPDATE_MESSAGES}
  SELECT count(*)::int AS applied FROM updated`;

/**
 * Applies the statuses that arrived before their outbound message was stored (Meta's status can
 * beat our own insert of the message it is about). Idempotent; returns 1 if the message was updated.
 */
export async function foldStatusEvents(wamid: string): Promise<number> {
  const [row] = await queryRows<{ applied: number }>(FOLD, [wamid]);
  return row?.applied ?? 0;
}
