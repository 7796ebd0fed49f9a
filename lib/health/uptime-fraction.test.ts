import { describe, expect, it } from "vitest";
import { uptimeFraction, windowMs, type Transition } from "@/lib/health/uptime-fraction";

const H = 3_600_000;
const t0 = new Date("2026-03-01T00:00:00Z");
const at = (hours: number) => new Date(t0.getTime() + hours * H);
const tr = (hours: number, online: boolean): Transition => ({ online, at: at(hours) });

describe("uptimeFraction", () => {
  it("is null with no transitions: nothing is known", () => {
    expect(uptimeFraction([], at(0), at(24))).toEqual({ onlineMs: 0, knownMs: 0, fraction: null });
  });

  it("takes the state before the window from the last transition before it", () => {
    expect(uptimeFraction([tr(-100, true)], at(0), at(24)).fraction).toBe(1);
    expect(uptimeFraction([tr(-100, true), tr(-50, false)], at(0), at(24)).fraction).toBe(0);
  });

  it("splits the window at each transition", () => {
    // online from before the window, offline 6 h in, back 12 h in: 18 of 24 hours up.
    const span = uptimeFraction([tr(-1, true), tr(6, false), tr(12, true)], at(0), at(24));
    expect(span).toEqual({ onlineMs: 18 * H, knownMs: 24 * H, fraction: 0.75 });
  });

  it("does not count time before the first transition", () => {
    // first seen 12 h into the window, offline for the last 3 h: 9 of the 12 known hours up.
    const span = uptimeFraction([tr(12, true), tr(21, false)], at(0), at(24));
    expect(span).toEqual({ onlineMs: 9 * H, knownMs: 12 * H, fraction: 0.75 });
  });

  it("ignores transitions after the window and accepts any order", () => {
    const span = uptimeFraction([tr(30, false), tr(6, false), tr(-1, true)], at(0), at(24));
    expect(span.fraction).toBe(0.25);
  });

  it("handles a transition exactly at the window start as the opening state", () => {
    expect(uptimeFraction([tr(-5, false), tr(0, true)], at(0), at(24)).fraction).toBe(1);
  });

  it("repeated states are harmless", () => {
    expect(uptimeFraction([tr(-1, true), tr(4, true), tr(12, false), tr(18, false)], at(0), at(24)).fraction).toBe(0.5);
  });
});

describe("windowMs", () => {
  it("reads hours and days", () => {
    expect(windowMs("24h")).toBe(24 * H);
    expect(windowMs("7d")).toBe(7 * 24 * H);
    expect(windowMs("30d")).toBe(30 * 24 * H);
  });

  it("refuses anything else", () => {
    expect(() => windowMs("7w" as "7d")).toThrow(RangeError);
  });
});
