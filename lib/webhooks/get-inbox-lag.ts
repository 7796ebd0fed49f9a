import { prisma } from "@/lib/db/client";

export type InboxLag = {
  /** Deliveries stored but not yet processed: PENDING or PROCESSING. */
  backlog: number;
  /** Age of the oldest of those, by receivedAt; 0 when there are none. */
  oldestPendingSeconds: number;
  /** FAILED deliveries waiting for an automatic retry. */
  retrying: number;
  /** DEAD deliveries, waiting for a person. */
  dead: number;
};

/**
 * How far processing is behind Meta, platform-wide, in one round trip. Backlog, oldest and dead are
 * index-only scans on (state, receivedAt) / (state, deadAt); the oldest is a min per state (an index's
 * first entry), since a min over `state IN (…)` would read the whole backlog. `retrying` reads the rows
 * with a nextAttemptAt (backlog and retries) and checks their state: no index holds both.
 */
export async function getInboxLag(): Promise<InboxLag> {
  const [row] = await prisma.$queryRaw<{ backlog: number; oldest: Date | null; retrying: number; dead: number }[]>`
    SELECT
      (SELECT count(*) FROM "WebhookEvent" WHERE state IN ('PENDING', 'PROCESSING'))::int AS backlog,
      LEAST(
        (SELECT min("receivedAt") FROM "WebhookEvent" WHERE state = 'PENDING'),
        (SELECT min("receivedAt") FROM "WebhookEvent" WHERE state = 'PROCESSING')
      ) AS oldest,
      (SELECT count(*) FROM "WebhookEvent" WHERE state = 'FAILED' AND "nextAttemptAt" IS NOT NULL)::int AS retrying,
      (SELECT count(*) FROM "WebhookEvent" WHERE state = 'DEAD')::int AS dead`;
  if (!row) throw new Error("inbox lag query returned no row");
  // The app's clock, like every other age WhaTrack computes from these columns (the retry path's cut-offs).
  const oldestPendingSeconds = row.oldest ? Math.max(0, Math.floor((Date.now() - row.oldest.getTime()) / 1000)) : 0;
  return { backlog: row.backlog, oldestPendingSeconds, retrying: row.retrying, dead: row.dead };
}
