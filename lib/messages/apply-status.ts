import { prisma } from "@/lib/db/client";
import type { MessageStatus, Prisma } from "@/lib/generated/prisma/client";
import type { WebhookStatus } from "@/lib/whatsapp/webhook-schema";

// Statuses arrive out of order, duplicated and batched. Each one is kept as an event (unique per
// wamid + status) and folded into the message with operations that commute — rank maximum and
// earliest timestamps — so any arrival order, repeated any number of times, gives the same row.
//
// Rank: PENDING < SENT < FAILED < DELIVERED < READ < PLAYED. A failure outranks "sent" and is
// terminal, except that a later delivered/read/played proves the message arrived and wins; the
// error code and title stay recorded either way.

const STATUS_BY_NAME: Record<string, MessageStatus> = {
  sent: "SENT",
  delivered: "DELIVERED",
  read: "READ",
  played: "PLAYED",
  failed: "FAILED",
};

export type ApplyStatusResult = "applied" | "pending" | "ignored";

/** Records one status and applies it to its message if we have it; otherwise it waits for the message. */
export async function applyStatus(phoneNumberId: string, status: WebhookStatus): Promise<ApplyStatusResult> {
  const mapped = STATUS_BY_NAME[status.status];
  if (!mapped) return "ignored";
  const error = status.errors?.[0];
  await prisma.messageStatusEvent.createMany({
    data: {
      wamid: status.id,
      status: mapped,
      timestamp: new Date(Number(status.timestamp) * 1000),
      phoneNumberId,
      recipientId: status.recipient_id,
      errorCode: error?.code,
      errorTitle: error?.title ?? error?.message,
      errorDetails: error?.error_data?.details,
      payload: status as Prisma.InputJsonValue,
    },
    skipDuplicates: true,
  });
  return (await foldStatusEvents(status.id)) > 0 ? "applied" : "pending";
}

/**
 * Folds every recorded status event of a wamid into its message (idempotent). Called for each new
 * status, and when a message appears after statuses that were waiting for it. Returns rows updated.
 */
export async function foldStatusEvents(wamid: string): Promise<number> {
  const updated = await prisma.$executeRaw`
    WITH ev AS (
      SELECT
        MAX(CASE status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 2 WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 WHEN 'PLAYED' THEN 5 END) AS rank,
        MIN(timestamp) FILTER (WHERE status IN ('SENT','DELIVERED','READ','PLAYED')) AS sent_at,
        MIN(timestamp) FILTER (WHERE status IN ('DELIVERED','READ','PLAYED')) AS delivered_at,
        MIN(timestamp) FILTER (WHERE status IN ('READ','PLAYED')) AS read_at,
        MIN(timestamp) FILTER (WHERE status = 'PLAYED') AS played_at,
        MIN(timestamp) FILTER (WHERE status = 'FAILED') AS failed_at,
        (ARRAY_AGG("errorCode" ORDER BY timestamp DESC) FILTER (WHERE status = 'FAILED'))[1] AS error_code,
        (ARRAY_AGG("errorTitle" ORDER BY timestamp DESC) FILTER (WHERE status = 'FAILED'))[1] AS error_title,
        (ARRAY_AGG("errorDetails" ORDER BY timestamp DESC) FILTER (WHERE status = 'FAILED'))[1] AS error_details
      FROM "MessageStatusEvent" WHERE wamid = ${wamid}
    )
    UPDATE "Message" m SET
      status = CASE GREATEST(ev.rank, CASE m.status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 2 WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 WHEN 'PLAYED' THEN 5 ELSE 0 END)
        WHEN 1 THEN 'SENT' WHEN 2 THEN 'FAILED' WHEN 3 THEN 'DELIVERED' WHEN 4 THEN 'READ' WHEN 5 THEN 'PLAYED' END::"MessageStatus",
      "sentAt" = LEAST(m."sentAt", ev.sent_at),
      "deliveredAt" = LEAST(m."deliveredAt", ev.delivered_at),
      "readAt" = LEAST(m."readAt", ev.read_at),
      "playedAt" = LEAST(m."playedAt", ev.played_at),
      "failedAt" = LEAST(m."failedAt", ev.failed_at),
      "errorCode" = COALESCE(ev.error_code, m."errorCode"),
      "errorTitle" = COALESCE(ev.error_title, m."errorTitle"),
      "errorDetails" = COALESCE(ev.error_details, m."errorDetails"),
      "updatedAt" = now()
    FROM ev
    WHERE m.wamid = ${wamid} AND m.direction = 'OUTBOUND' AND ev.rank IS NOT NULL`;
  if (updated > 0) {
    await prisma.messageStatusEvent.updateMany({ where: { wamid, appliedAt: null }, data: { appliedAt: new Date() } });
  }
  return updated;
}
