import { describe, expect, it } from "vitest";
import { nextRun, previousRun } from "@/lib/jobs/next-run";

// Israel, 2026: summer time starts Friday 27 March (02:00 → 03:00, UTC+2 → UTC+3) and ends
// Sunday 25 October (02:00 → 01:00).
const jerusalem = (schedule: string) => ({ schedule, timeZone: "Asia/Jerusalem" });
const at = (iso: string) => new Date(iso);

describe("schedules in an IANA time zone", () => {
  it("3:00 AM Israel time is 01:00 UTC in winter and 00:00 UTC in summer", () => {
    const daily = jerusalem("0 3 * * *");
    expect(nextRun(daily, at("2026-03-25T12:00:00Z"))).toEqual(at("2026-03-26T01:00:00Z"));
    expect(nextRun(daily, at("2026-03-26T12:00:00Z"))).toEqual(at("2026-03-27T00:00:00Z"));
    expect(nextRun(daily, at("2026-10-24T12:00:00Z"))).toEqual(at("2026-10-25T01:00:00Z"));
  });

  it("a local time skipped by the spring change runs once, at the next valid instant", () => {
    const skipped = jerusalem("30 2 * * *");
    expect(nextRun(skipped, at("2026-03-26T12:00:00Z"))).toEqual(at("2026-03-27T00:00:00Z"));
    expect(nextRun(skipped, at("2026-03-27T00:00:00Z"))).toEqual(at("2026-03-27T23:30:00Z"));
  });

  it("a local time repeated by the autumn change runs once", () => {
    const repeated = jerusalem("30 1 * * *");
    const runs = [nextRun(repeated, at("2026-10-24T12:00:00Z"))!];
    runs.push(nextRun(repeated, runs[0]!)!);
    expect(runs).toEqual([at("2026-10-24T22:30:00Z"), at("2026-10-25T23:30:00Z")]);
  });

  it("previousRun includes an occurrence exactly at now, and finds the last one otherwise", () => {
    const every5 = { schedule: "*/5 * * * *", timeZone: "UTC" };
    expect(previousRun(every5, at("2026-11-23T10:05:00Z"))).toEqual(at("2026-11-23T10:05:00Z"));
    expect(previousRun(every5, at("2026-11-23T10:09:59Z"))).toEqual(at("2026-11-23T10:05:00Z"));
    expect(previousRun(jerusalem("0 3 * * *"), at("2026-10-25T01:00:30Z"))).toEqual(at("2026-10-25T01:00:00Z"));
  });
});
