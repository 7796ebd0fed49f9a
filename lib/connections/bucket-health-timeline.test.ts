import { describe, expect, it } from "vitest";
import { bucketHealthTimeline, HOUR_MS, timelineWindow } from "@/lib/connections/bucket-health-timeline";

const now = new Date("2026-03-10T13:20:00Z");

describe("timelineWindow", () => {
  it("ends at the next bucket boundary and spans exactly the days asked for", () => {
    const week = timelineWindow(7, now);
    expect(week.end.toISOString()).toBe("2026-03-10T18:00:00.000Z");
    expect(week.from.toISOString()).toBe("2026-03-03T18:00:00.000Z");
    expect(week.bucketMs).toBe(6 * HOUR_MS);
    const month = timelineWindow(30, now);
    expect(month.end.toISOString()).toBe("2026-03-11T00:00:00.000Z");
    expect(month.from.toISOString()).toBe("2026-02-09T00:00:00.000Z");
  });
});

describe("bucketHealthTimeline", () => {
  const { from, end, bucketMs } = timelineWindow(7, now);
  const at = (iso: string) => new Date(iso);

  it("cuts the window into equal buckets and counts checks by result, with average latency", () => {
    const buckets = bucketHealthTimeline({
      checks: [
        { checkedAt: at("2026-03-03T18:00:00Z"), result: "HEALTHY", latencyMs: 100 },
        { checkedAt: at("2026-03-03T23:59:59Z"), result: "ERROR", latencyMs: 300 },
        { checkedAt: at("2026-03-10T13:00:00Z"), result: "WARNING", latencyMs: null },
        { checkedAt: at("2026-03-03T17:59:59Z"), result: "HEALTHY", latencyMs: 1 }, // before the window
      ],
      transitions: [],
      from,
      end,
      bucketMs,
      now,
    });
    expect(buckets).toHaveLength(28);
    expect(buckets[0]).toMatchObject({ start: "2026-03-03T18:00:00.000Z", end: "2026-03-04T00:00:00.000Z", healthy: 1, error: 1, avgLatencyMs: 200, uptime: null });
    expect(buckets[27]).toMatchObject({ start: "2026-03-10T12:00:00.000Z", warning: 1, avgLatencyMs: null });
    expect(buckets.reduce((n, b) => n + b.healthy + b.warning + b.error + b.critical + b.unknown, 0)).toBe(3);
  });

  it("computes each bucket's uptime from transitions, counting only time up to now", () => {
    const buckets = bucketHealthTimeline({
      checks: [],
      transitions: [
        { online: true, at: at("2026-03-01T00:00:00Z") }, // before the window: sets the opening state
        { online: false, at: at("2026-03-04T03:00:00Z") },
        { online: true, at: at("2026-03-04T06:00:00Z") },
        { online: false, at: at("2026-03-10T12:40:00Z") },
      ],
      from,
      end,
      bucketMs,
      now,
    });
    expect(buckets[0]!.uptime).toBe(1);
    expect(buckets[1]!.uptime).toBe(0.5); // 00:00–06:00 on the 4th, offline 03:00–06:00
    expect(buckets[2]!.uptime).toBe(1);
    // The last bucket: 12:00–13:20 known so far, offline from 12:40.
    expect(buckets[27]!.uptime).toBeCloseTo(0.5, 5);
  });

  it("a bucket entirely in the future has no uptime", () => {
    const buckets = bucketHealthTimeline({ checks: [], transitions: [{ online: true, at: from }], from, end: new Date(end.getTime() + bucketMs), bucketMs, now });
    expect(buckets.at(-1)!.uptime).toBeNull();
  });
});
