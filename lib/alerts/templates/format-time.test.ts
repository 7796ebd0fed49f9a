import { describe, expect, it } from "vitest";
import { formatDuration, formatUtc } from "@/lib/alerts/templates/format-time";

const minutes = (n: number) => n * 60_000;

describe("formatDuration", () => {
  it.each([
    [minutes(6 * 60 + 12), "6 hours 12 minutes"],
    [minutes(61), "1 hour 1 minute"],
    [minutes(45) + 59_000, "45 minutes"],
    [minutes(2 * 24 * 60 + 3 * 60 + 7), "2 days 3 hours"],
    [minutes(24 * 60 + 5), "1 day 5 minutes"],
    [minutes(6 * 60), "6 hours"],
    [30_000, "less than a minute"],
    [-5_000, "less than a minute"],
  ])("%d ms → %s", (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });
});

describe("formatUtc", () => {
  it("writes the instant in UTC to the minute", () => {
    expect(formatUtc(new Date("2024-01-15T10:30:59.999Z"))).toBe("2024-01-15 10:30 UTC");
  });
});
