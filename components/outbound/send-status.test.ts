import { describe, expect, it } from "vitest";
import { describeNextAttempt, isStuck, tickFor } from "@/components/outbound/send-status";

describe("tickFor", () => {
  it("maps a send's and a message's status to WhatsApp's ticks", () => {
    const kinds = (["QUEUED", "SENDING", "PENDING", "SENT", "DELIVERED", "READ", "PLAYED", "FAILED", "DEAD", "RECEIVED"] as const).map((s) => tickFor(s).kind);
    expect(kinds).toEqual(["clock", "clock", "clock", "sent", "delivered", "read", "read", "failed", "failed", "none"]);
  });

  it("labels them for screen readers with the words the thread has always used", () => {
    expect(tickFor("SENT").label).toBe("Sent");
    expect(tickFor("READ").label).toBe("Read");
    expect(tickFor("QUEUED").label).toMatch(/^Queued/);
    expect(tickFor("PENDING").label).toMatch(/^Pending/);
    expect(tickFor("DEAD").label).toMatch(/^Failed/);
  });
});

describe("isStuck", () => {
  it("only failed and dead sends wait for a person", () => {
    expect((["QUEUED", "SENDING", "SENT", "DELIVERED", "READ", "FAILED", "DEAD"] as const).filter(isStuck)).toEqual(["FAILED", "DEAD"]);
  });
});

describe("describeNextAttempt", () => {
  const now = Date.parse("2026-12-03T12:00:00Z");
  const at = (s: number) => new Date(now + s * 1000).toISOString();
  it("says when a send that failed before is tried again", () => {
    expect(describeNextAttempt(0, at(30), now)).toBeNull();
    expect(describeNextAttempt(2, null, now)).toBeNull();
    expect(describeNextAttempt(1, at(-3), now)).toBe("attempt 2 now");
    expect(describeNextAttempt(1, at(40), now)).toBe("attempt 2 in 40 s");
    expect(describeNextAttempt(3, at(600), now)).toBe("attempt 4 in 10 min");
    expect(describeNextAttempt(4, at(4 * 3600), now)).toBe("attempt 5 in 4 h");
  });
});
