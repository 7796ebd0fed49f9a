import { prisma } from "@/lib/db/client";

export type OutboxLag = {
  /** Sends waiting to go: QUEUED, due now or later (backoff, pacing, an open circuit, a token to fix). */
  queued: number;
  /** Of those, the ones already due: what the drainers have not reached yet. */
  due: number;
  /** Claimed by a drainer right now. */
  sending: number;
  /** How long the most overdue send has been due; 0 when none is due. */
  oldestDueSeconds: number;
  /** DEAD sends, waiting for a person. */
  dead: number;
};

/**
 * How far sending is behind, platform-wide, in one round trip. A send waiting on purpose (its backoff,
 * its pacing slot, a token the owner must fix) is queued but not due, so it never counts as lag. Counts
 * by state use the (state, createdAt) index; `due` and the oldest walk the (nextAttemptAt) index up to now.
 */
export async function getOutboxLag(): Promise<OutboxLag> {
  const [row] = await prisma.$queryRaw<{ queued: number; due: number; sending: number; oldest: Date | null; dead: number }[]>`
    SELECT
      (SELECT count(*) FROM "OutboundMessage" WHERE state = 'QUEUED')::int AS queued,
      (SELECT count(*) FROM "OutboundMessage" WHERE state = 'QUEUED' AND "nextAttemptAt" <= now())::int AS due,
      (SELECT count(*) FROM "OutboundMessage" WHERE state = 'SENDING')::int AS sending,
      (SELECT min("nextAttemptAt") FROM "OutboundMessage" WHERE state = 'QUEUED' AND "nextAttemptAt" <= now()) AS oldest,
      (SELECT count(*) FROM "OutboundMessage" WHERE state = 'DEAD')::int AS dead`;
  if (!row) throw new Error("outbox lag query returned no row");
  const oldestDueSeconds = row.oldest ? Math.max(0, Math.floor((Date.now() - row.oldest.getTime()) / 1000)) : 0;
  return { queued: row.queued, due: row.due, sending: row.sending, oldestDueSeconds, dead: row.dead };
}
