import { describe, expect, it } from "vitest";
import { describeExpiry, describeObserved, describeQuality, describeWebhook, formatAgo, formatPercent, formatUtc, humanizeReason, uptimeTone } from "@/lib/connections/format-health";

const now = new Date("2026-03-10T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const H = 3_600_000;

describe("formatPercent", () => {
  it("floors to one decimal and never shows 100% for less", () => {
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0.99999)).toBe("99.9%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(null)).toBe("—");
  });

  it("tones: green from 99%, amber from 90%", () => {
    expect([uptimeTone(1), uptimeTone(0.95), uptimeTone(0.5), uptimeTone(null)]).toEqual(["ok", "warn", "bad", "muted"]);
  });
});

describe("formatAgo", () => {
  it("reads minutes, hours and days", () => {
    expect(formatAgo(null, now)).toBe("never");
    expect(formatAgo(ago(10_000), now)).toBe("just now");
    expect(formatAgo(ago(5 * 60_000), now)).toBe("5 min ago");
    expect(formatAgo(ago(3 * H), now)).toBe("3 h ago");
    expect(formatAgo(ago(4 * 24 * H), now)).toBe("4 days ago");
  });

  it("formats instants in UTC", () => {
    expect(formatUtc("2026-03-01T10:15:42.000Z")).toBe("2026-03-01 10:15 UTC");
  });
});

describe("describeExpiry", () => {
  it("warns within a week, alarms once expired", () => {
    expect(describeExpiry(null, now)).toEqual({ text: "No expiry reported", tone: "muted" });
    expect(describeExpiry(new Date(now.getTime() + 30 * 24 * H).toISOString(), now)).toEqual({ text: "Expires in 30 days", tone: "ok" });
    expect(describeExpiry(new Date(now.getTime() + 5 * H).toISOString(), now)).toEqual({ text: "Expires in 5 h", tone: "warn" });
    expect(describeExpiry(ago(3 * 24 * H), now)).toEqual({ text: "Expired 3 days ago", tone: "bad" });
  });
});

describe("quality and webhook", () => {
  it("words Meta's values", () => {
    expect(describeQuality("GREEN").tone).toBe("ok");
    expect(describeQuality("yellow").tone).toBe("warn");
    expect(describeQuality("RED").tone).toBe("bad");
    expect(describeQuality(null)).toEqual({ text: "Not rated yet", tone: "muted" });
    expect(describeWebhook(false)).toEqual({ text: "Not subscribed", tone: "bad" });
  });
});

describe("humanizeReason", () => {
  it("capitalises and writes instants in UTC", () => {
    expect(humanizeReason("number status is BANNED")).toBe("Number status is BANNED");
    expect(humanizeReason("Access token expires on 2026-11-28T19:49:11.154Z")).toBe("Access token expires on 2026-11-28 19:49 UTC");
  });
});

describe("describeObserved", () => {
  it("says how much of a window was observed when it was not the whole of it", () => {
    expect(describeObserved("30d", 40 * 60)).toBe("over 40 min observed");
    expect(describeObserved("7d", 5 * 3600)).toBe("over 5 h observed");
    expect(describeObserved("30d", 3 * 86_400)).toBe("over 3 days observed");
    expect(describeObserved("24h", 0)).toBe("nothing observed yet");
  });

  it("says nothing once (nearly) the whole window was observed", () => {
    expect(describeObserved("24h", 86_400)).toBeNull();
    expect(describeObserved("7d", 7 * 86_400 - 600)).toBeNull();
  });
});
