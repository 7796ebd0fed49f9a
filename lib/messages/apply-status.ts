import { prisma } from "@/lib/db/client";
import { Prisma, type MessageStatus } from "@/lib/generated/prisma/client";
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

type EventValues = { status: MessageStatus; timestamp: Date; errorCode: number | null; errorTitle: string | null; errorDetails: string | null };

/**
 * Records one status and folds it into its message, in one statement. When the message is not
 * there (yet), the event waits for it ("pending"); foldStatusEvents applies it when it appears.
 */
export async function applyStatus(phoneNumberId: string, status: WebhookStatus): Promise<ApplyStatusResult> {
  const mapped = STATUS_BY_NAME[status.status];
  if (!mapped) return "ignored";
  const error = status.errors?.[0];
  const event: EventValues = {
    status: mapped,
    timestamp: new Date(Number(status.timestamp) * 1000),
    errorCode: error?.code ?? null,
    errorTitle: error?.title ?? error?.message ?? null,
    errorDetails: error?.error_data?.details ?? null,
  };
  const [row] = await prisma.$queryRaw<{ applied: number }[]>`
    WITH recorded AS (
      INSERT INTO "MessageStatusEvent" (id, wamid, status, timestamp, "phoneNumberId", "recipientId", "errorCode", "errorTitle", "errorDetails", payload, "appliedAt", "createdAt")
      VALUES (gen_random_uuid()::text, ${status.id}, ${mapped}::"MessageStatus", ${event.timestamp}, ${phoneNumberId}, ${status.recipient_id ?? null},
              ${event.errorCode}, ${event.errorTitle}, ${event.errorDetails}, ${JSON.stringify(status)}::jsonb,
              CASE WHEN EXISTS (SELECT 1 FROM "Message" WHERE wamid = ${status.id} AND direction = 'OUTBOUND') THEN now() END, now())
      ON CONFLICT (wamid, status) DO NOTHING
    ), events AS (
      -- The new event is not visible to this statement's other parts yet: it joins by value.
      SELECT status::text AS status, timestamp, "errorCode", "errorTitle", "errorDetails" FROM "MessageStatusEvent" WHERE wamid = ${status.id}
      UNION ALL SELECT ${mapped}, ${event.timestamp}, ${event.errorCode}, ${event.errorTitle}, ${event.errorDetails}
    ), folded AS (${FOLD})
    ${updateMessage(status.id)}
    SELECT count(*)::int AS applied FROM updated`;
  return (row?.applied ?? 0) > 0 ? "applied" : "pending";
}

/**
 * Folds every recorded status event of a wamid into its message (idempotent): for statuses that
 * arrived before their message was stored. Returns the number of messages updated (0 or 1).
 */
export async function foldStatusEvents(wamid: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ applied: number }[]>`
    WITH events AS (
      SELECT status::text AS status, timestamp, "errorCode", "errorTitle", "errorDetails" FROM "MessageStatusEvent" WHERE wamid = ${wamid}
    ), folded AS (${FOLD}),
    marked AS (UPDATE "MessageStatusEvent" SET "appliedAt" = now() WHERE wamid = ${wamid} AND "appliedAt" IS NULL AND EXISTS (SELECT 1 FROM "Message" WHERE wamid = ${wamid} AND direction = 'OUTBOUND'))
    ${updateMessage(wamid)}
    SELECT count(*)::int AS applied FROM updated`;
  return row?.applied ?? 0;
}

// The fold over a set of events named "events": highest rank, the earliest time implying each step,
// the latest failure's error.
const FOLD = Prisma.raw(`
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
  FROM events`);

const RANK_OF_MESSAGE = Prisma.raw(`CASE m.status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 2 WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 WHEN 'PLAYED' THEN 5 ELSE 0 END`);

// Writes the fold onto the outbound message with that wamid, never lowering its status or moving a
// timestamp later; exposes the updated rows as "updated".
const updateMessage = (wamid: string) => Prisma.sql`, updated AS (
    UPDATE "Message" m SET
      status = CASE GREATEST(folded.rank, ${RANK_OF_MESSAGE})
        WHEN 1 THEN 'SENT' WHEN 2 THEN 'FAILED' WHEN 3 THEN 'DELIVERED' WHEN 4 THEN 'READ' WHEN 5 THEN 'PLAYED' ELSE m.status::text END::"MessageStatus",
      "sentAt" = LEAST(m."sentAt", folded.sent_at),
      "deliveredAt" = LEAST(m."deliveredAt", folded.delivered_at),
      "readAt" = LEAST(m."readAt", folded.read_at),
      "playedAt" = LEAST(m."playedAt", folded.played_at),
      "failedAt" = LEAST(m."failedAt", folded.failed_at),
      "errorCode" = COALESCE(folded.error_code, m."errorCode"),
      "errorTitle" = COALESCE(folded.error_title, m."errorTitle"),
      "errorDetails" = COALESCE(folded.error_details, m."errorDetails"),
      "updatedAt" = now()
    FROM folded
    WHERE m.wamid = ${wamid} AND m.direction = 'OUTBOUND' AND folded.rank IS NOT NULL
    RETURNING m.id)`;
