import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { graphRateLimit } from "@/lib/health/graph-rate-limit";

describe("graphRateLimit", () => {
  it("holds each of its perSecond slots from a call's start until a second after it settles", async () => {
    const perSecond = 7;
    const limited = graphRateLimit(perSecond);
    const spans: Array<{ start: number; end: number }> = [];
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: perSecond * 3 }, (_, i) =>
        limited(async () => {
          const start = performance.now();
          await sleep(10 + (i % 3) * 15);
          spans.push({ start, end: performance.now() });
          return i;
        }),
      ),
    );
    // Callers get their answers in order and without waiting out the window themselves.
    expect(results).toEqual(Array.from({ length: perSecond * 3 }, (_, i) => i));
    // Whatever instant a server notes a call's arrival at lies within [start, end]. If the intervals
    // [start, end + 1 s) never overlap more than perSecond deep, no one second can hold more arrivals.
    const depthAt = (t: number) => spans.filter((s) => s.start <= t && t < s.end + 1000).length;
    expect(Math.max(...spans.map((s) => depthAt(s.start)))).toBe(perSecond);
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  it("is one limiter per rate, shared by every caller in the process", () => {
    expect(graphRateLimit(5)).toBe(graphRateLimit(5));
    expect(graphRateLimit(5)).not.toBe(graphRateLimit(6));
  });

  it("passes failures through", async () => {
    await expect(graphRateLimit(3)(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });

  it("refuses a rate that is not a positive integer", () => {
    expect(() => graphRateLimit(0)).toThrow(RangeError);
    expect(() => graphRateLimit(1.5)).toThrow(RangeError);
  });
});
