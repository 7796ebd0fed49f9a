import { bucketHealthTimeline, bucketHoursFor, timelineWindow } from "@/lib/connections/bucket-health-timeline";
import type { HealthTimeline, HealthTimelineDays } from "@/lib/connections/connection-schemas";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import { toHealthCheckView } from "@/lib/connections/to-health-check-view";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { uptimeFraction } from "@/lib/health/uptime-fraction";

const RECENT_CHECKS = 50;

/** Health checks and online/offline transitions of one number over 7 or 30 days, for the chart, plus its latest checks. */
export async function getHealthTimeline(db: ScopedDb, id: string, days: HealthTimelineDays, now = new Date()): Promise<HealthTimeline> {
  await getConnectionOrThrow(db, id);
  const { from, end, bucketMs } = timelineWindow(days, now);
  const [checks, opening, inside, recent] = await Promise.all([
    db.healthCheck.findMany({
      where: { connectionId: id, checkedAt: { gte: from, lt: end } },
      select: { checkedAt: true, result: true, latencyMs: true },
      orderBy: { checkedAt: "asc" },
    }),
    db.connectionTransition.findFirst({ where: { connectionId: id, at: { lte: from } }, orderBy: { at: "desc" }, select: { at: true, online: true, reason: true } }),
    db.connectionTransition.findMany({ where: { connectionId: id, at: { gt: from, lte: now } }, orderBy: { at: "asc" }, select: { at: true, online: true, reason: true } }),
    db.healthCheck.findMany({ where: { connectionId: id }, orderBy: { checkedAt: "desc" }, take: RECENT_CHECKS }),
  ]);
  const transitions = opening ? [opening, ...inside] : inside;
  return {
    connectionId: id,
    days,
    from: from.toISOString(),
    to: now.toISOString(),
    bucketHours: bucketHoursFor(days),
    uptime: uptimeFraction(transitions, from, now).fraction,
    buckets: bucketHealthTimeline({ checks, transitions, from, end, bucketMs, now }),
    transitions: inside.map((t) => ({ at: t.at.toISOString(), online: t.online, reason: t.reason })),
    recentChecks: recent.map(toHealthCheckView),
  };
}
