import { describe, expect, it } from "vitest";
import { GraphError } from "@/lib/whatsapp/graph-error";
import { combineFindings, connectionLevel, graphErrorFinding, numberStatusFinding, sendHealthFinding, UP } from "@/lib/health/connection-state";

const graphError = (code: number | null, httpStatus: number) => new GraphError({ message: "x", httpStatus, code });

describe("numberStatusFinding", () => {
  it("CONNECTED and working-with-limits statuses are up", () => {
    for (const s of ["CONNECTED", "connected", "FLAGGED", "RESTRICTED", "RATE_LIMITED", "SOMETHING_NEW"]) expect(numberStatusFinding(s)).toEqual(UP);
  });

  it("statuses in which the number cannot work are down", () => {
    for (const s of ["BANNED", "BLOCKED", "DISCONNECTED", "DELETED", "MIGRATED", "PENDING", "UNVERIFIED"]) {
      expect(numberStatusFinding(s)).toMatchObject({ state: "down" });
    }
  });

  it("no status or UNKNOWN is no verdict", () => {
    expect(numberStatusFinding(null).state).toBe("unknown");
    expect(numberStatusFinding("UNKNOWN").state).toBe("unknown");
  });
});

describe("sendHealthFinding", () => {
  it("only BLOCKED is down; LIMITED still sends", () => {
    expect(sendHealthFinding("AVAILABLE", null)).toEqual(UP);
    expect(sendHealthFinding("LIMITED", null)).toEqual(UP);
    expect(sendHealthFinding("BLOCKED", "PHONE_NUMBER: limited")).toMatchObject({ state: "down", reason: expect.stringContaining("PHONE_NUMBER") });
  });
});

describe("graphErrorFinding", () => {
  it("auth errors count the connection offline", () => {
    expect(graphErrorFinding("phone number", graphError(190, 401))).toMatchObject({ state: "down", reason: expect.stringContaining("190") });
  });

  it("throttled, transient and unreadable answers are no verdict", () => {
    for (const e of [graphError(130429, 400), graphError(80007, 400), graphError(null, 503), graphError(2, 503)]) {
      expect(graphErrorFinding("phone number", e).state).toBe("unknown");
    }
    const unreadable = new GraphError({ message: "bad body", httpStatus: 200, code: null, kind: "unknown" });
    expect(graphErrorFinding("phone number", unreadable).state).toBe("unknown");
  });

  it("permanent errors are a verdict: offline", () => {
    expect(graphErrorFinding("phone number", graphError(100, 400)).state).toBe("down");
    expect(graphErrorFinding("phone number", graphError(131031, 400)).state).toBe("down");
  });
});

describe("combineFindings", () => {
  it("any down wins, with every reason", () => {
    const r = combineFindings([{ state: "down", reason: "a" }, { state: "unknown", reason: "b" }, { state: "down", reason: "c" }]);
    expect(r).toEqual({ online: false, reason: "a; c" });
  });

  it("an unknown without a down is no verdict", () => {
    expect(combineFindings([UP, { state: "unknown", reason: "throttled" }, UP])).toEqual({ online: null, reason: "throttled" });
  });

  it("all up is online", () => {
    expect(combineFindings([UP, UP, UP]).online).toBe(true);
  });
});

describe("connectionLevel", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const criticalAfterMs = 6 * 3_600_000;

  it("online is Healthy, no verdict is Unknown", () => {
    expect(connectionLevel({ online: true, offlineSince: null, now, criticalAfterMs })).toBe("HEALTHY");
    expect(connectionLevel({ online: null, offlineSince: null, now, criticalAfterMs })).toBe("UNKNOWN");
  });

  it("offline is Warning below the threshold and Critical from it on", () => {
    expect(connectionLevel({ online: false, offlineSince: now, now, criticalAfterMs })).toBe("WARNING");
    expect(connectionLevel({ online: false, offlineSince: hoursAgo(5.99), now, criticalAfterMs })).toBe("WARNING");
    expect(connectionLevel({ online: false, offlineSince: hoursAgo(6), now, criticalAfterMs })).toBe("CRITICAL");
    expect(connectionLevel({ online: false, offlineSince: hoursAgo(48), now, criticalAfterMs })).toBe("CRITICAL");
  });
});
