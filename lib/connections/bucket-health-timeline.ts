import type { HealthStatus } from "@/lib/generated/prisma/enums";
import type { HealthBucket } from "@/lib/connections/connection-schemas";
import { uptimeFraction, type Transition } from "@/lib/health/uptime-fraction";

// The health chart's data, pure so it is tested on its own: the window cut into equal buckets, each with
// the online share (from the connection's transitions) and its checks counted by result.

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** 7 days in 6-hour buckets, 30 days in daily ones: about 30 bars either way. */
export function bucketHoursFor(days: 7 | 30): number {
  return days === 7 ? 6 : 24;
}

/** The window: `days` long, ending at the first bucket boundary (UTC) at or after `now`. */
export function timelineWindow(days: 7 | 30, now: Date): { from: Date; end: Date; bucketMs: number } {
  const bucketMs = bucketHoursFor(days) * HOUR_MS;
  const end = Math.ceil(now.getTime() / bucketMs) * bucketMs;
  return { from: new Date(end - days * DAY_MS), end: new Date(end), bucketMs };
}

export type TimelineCheck = { checkedAt: Date; result: HealthStatus; latencyMs: number | null };

const COUNTER: Record<HealthStatus, "healthy" | "warning" | "critical" | "error" | "unknown"> = {
  HEALTHY: "healthy",
  WARNING: "warning",
  CRITICAL: "critical",
  ERROR: "error",
  UNKNOWN: "unknown",
};

/**
 * Buckets [from, end) by bucketMs. Uptime counts only time up to `now` (the last bucket may reach into
 * the future); `transitions` should include the last one before `from`, which sets the opening state.
 */
export function bucketHealthTimeline(input: { checks: TimelineCheck[]; transitions: Transition[]; from: Date; end: Date; bucketMs: number; now: Date }): HealthBucket[] {
  const { from, end, bucketMs, now } = input;
  const count = Math.max(0, Math.ceil((end.getTime() - from.getTime()) / bucketMs));
  const buckets = Array.from({ length: count }, (_, i) => {
    const start = from.getTime() + i * bucketMs;
    const stop = Math.min(start + bucketMs, end.getTime());
    const upTo = Math.min(stop, now.getTime());
    const uptime = upTo > start ? uptimeFraction(input.transitions, new Date(start), new Date(upTo)).fraction : null;
    return { start, stop, uptime, healthy: 0, warning: 0, critical: 0, error: 0, unknown: 0, latencySum: 0, latencyCount: 0 };
  });
  for (const check of input.checks) {
    const i = Math.floor((check.checkedAt.getTime() - from.getTime()) / bucketMs);
    const bucket = buckets[i];
    if (!bucket || check.checkedAt.getTime() >= end.getTime()) continue;
    bucket[COUNTER[check.result]]++;
    if (check.latencyMs != null) {
      bucket.latencySum += check.latencyMs;
      bucket.latencyCount++;
    }
  }
  return buckets.map(({ start, stop, latencySum, latencyCount, ...b }) => ({
    start: new Date(start).toISOString(),
    end: new Date(stop).toISOString(),
    uptime: b.uptime,
    healthy: b.healthy,
    warning: b.warning,
    critical: b.critical,
    error: b.error,
    unknown: b.unknown,
    avgLatencyMs: latencyCount > 0 ? Math.round(latencySum / latencyCount) : null,
  }));
}
