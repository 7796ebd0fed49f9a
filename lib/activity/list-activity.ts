import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActivityEventView, ActivityList, ListActivityQuery } from "@/lib/activity/activity-schemas";
import { encodeCursor, type KeysetPosition } from "@/lib/pagination/keyset-cursor";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

// createdAt is set when a statement runs, not when it commits: an event can become visible a moment
// after a later-stamped one. Incremental reads look back this far so such an event is not skipped;
// the repeats are deduplicated by id on the client.
const AFTER_LOOKBACK_MS = 5_000;

const select = { id: true, type: true, summary: true, connectionId: true, data: true, createdAt: true } satisfies Prisma.ActivityEventSelect;
type Row = Prisma.ActivityEventGetPayload<{ select: typeof select }>;

/**
 * The workspace's activity feed, newest first (createdAt, id) on the (workspaceId, createdAt) index.
 * Without `after`: the latest page, `cursor` pages back. With `after`: what is newer than it (the
 * oldest `limit` of them when more arrived, so repeated calls catch up) plus the last few seconds'
 * events again, newest first.
 */
export async function listActivity(db: ScopedDb, query: ListActivityQuery): Promise<ActivityList> {
  if (query.after) return listNewer(db, query.after, query.limit);
  const older = query.cursor ? { OR: [{ createdAt: { lt: query.cursor.at } }, { createdAt: query.cursor.at, id: { lt: query.cursor.id } }] } : {};
  const rows = await db.activityEvent.findMany({ where: older, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: query.limit + 1, select });
  const page = rows.slice(0, query.limit);
  const oldest = page.at(-1);
  return {
    data: page.map(toView),
    nextCursor: rows.length > query.limit && oldest ? positionOf(oldest) : null,
    latestCursor: page[0] ? positionOf(page[0]) : query.cursor ? null : encodeCursor({ at: new Date(0), id: "0" }),
    hasNewer: false,
  };
}

async function listNewer(db: ScopedDb, after: KeysetPosition, limit: number): Promise<ActivityList> {
  const [ahead, late] = await Promise.all([
    // Strictly after the cursor: what moves the cursor forward, oldest first so repeated calls catch up.
    db.activityEvent.findMany({
      where: { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit + 1,
      select,
    }),
    // Just behind it: events that committed after the previous read although stamped earlier.
    db.activityEvent.findMany({
      where: { createdAt: { gte: new Date(after.at.getTime() - AFTER_LOOKBACK_MS), lte: after.at } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select,
    }),
  ]);
  const page = ahead.slice(0, limit);
  const newest = page.at(-1);
  return {
    data: [...page.reverse(), ...late.filter((row) => row.id !== after.id)].map(toView),
    nextCursor: null,
    latestCursor: newest ? positionOf(newest) : encodeCursor(after),
    hasNewer: ahead.length > limit,
  };
}

function positionOf(row: Row): string {
  return encodeCursor({ at: row.createdAt, id: row.id });
}

function toView(row: Row): ActivityEventView {
  const data = row.data && typeof row.data === "object" && !Array.isArray(row.data) ? (row.data as Record<string, unknown>) : {};
  return {
    id: row.id,
    type: row.type,
    summary: row.summary,
    connectionId: row.connectionId,
    conversationId: typeof data.conversationId === "string" ? data.conversationId : null,
    createdAt: row.createdAt.toISOString(),
  };
}
