// Statuses arrive out of order, duplicated and batched. Each one is kept as an event (unique per
// wamid + status) and folded into its message with operations that commute — rank maximum and
// earliest timestamps — so any arrival order, repeated any number of times, gives the same row.
//
// Rank: PENDING < SENT < FAILED < DELIVERED < READ < PLAYED. A failure outranks "sent" and is
// terminal, except that a later delivered/read/played proves the message arrived and wins; the
// error code and title stay recorded either way. An event only ever folds into the message of the
// number that reported it.

export const STATUS_BY_NAME: Record<string, "SENT" | "DELIVERED" | "READ" | "PLAYED" | "FAILED"> = {
  sent: "SENT",
  delivered: "DELIVERED",
  read: "READ",
  played: "PLAYED",
  failed: "FAILED",
};

/** The fold of a set named "events" (wamid, status, timestamp, error columns), one row per wamid, as "folded". */
export const FOLD_EVENTS = `
  folded AS (
    SELECT wamid,
      MAX(CASE status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 2 WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 WHEN 'PLAYED' THEN 5 END) AS rank,
      MIN(timestamp) FILTER (WHERE status IN ('SENT','DELIVERED','READ','PLAYED')) AS sent_at,
      MIN(timestamp) FILTER (WHERE status IN ('DELIVERED','READ','PLAYED')) AS delivered_at,
      MIN(timestamp) FILTER (WHERE status IN ('READ','PLAYED')) AS read_at,
      MIN(timestamp) FILTER (WHERE status = 'PLAYED') AS played_at,
      MIN(timestamp) FILTER (WHERE status = 'FAILED') AS failed_at,
      (ARRAY_AGG("errorCode" ORDER BY timestamp DESC) FILTER (WHERE status = 'FAILED'))[1] AS error_code,
      (ARRAY_AGG("errorTitle" ORDER BY timestamp DESC) FILTER (WHERE status = 'FAILED'))[1] AS error_title,
      (ARRAY_AGG("errorDetails" ORDER BY timestamp DESC) FILTER (WHERE status = 'FAILED'))[1] AS error_details
    FROM events GROUP BY wamid
  )`;

/**
 * Writes "folded" onto the messages listed in "target" (id, wamid), locked in id order, never lowering
 * a status or moving a timestamp later; exposes the updated rows as "updated" (wamid).
 */
export const UPDATE_MESSAGES = `
  locked AS (SELECT id FROM "Message" WHERE id IN (SELECT id FROM target) ORDER BY id FOR UPDATE),
  updated AS (
    UPDATE "Message" m SET
      status = CASE GREATEST(folded.rank, CASE m.status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 2 WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 WHEN 'PLAYED' THEN 5 ELSE 0 END)
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
    FROM folded JOIN target ON target.wamid = folded.wamid JOIN locked ON locked.id = target.id
    WHERE m.id = target.id AND folded.rank IS NOT NULL
    RETURNING m.wamid
  )`;
