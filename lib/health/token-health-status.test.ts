import { describe, expect, it } from "vitest";
import { GraphError } from "@/lib/whatsapp/graph-error";
import { connectionHealthAfterTokenCheck, EXPIRY_WARNING_MS, isExpiringSoon, tokenCheckResult } from "@/lib/health/token-health-status";

const now = new Date("2026-03-01T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const inconclusive = (code: number | null, httpStatus: number) =>
  ({ state: "inconclusive", method: "phone_number", latencyMs: 1, error: new GraphError({ message: "x", httpStatus, code }) }) as const;

describe("isExpiringSoon", () => {
  it("is true within seven days, false beyond, for never-expiring and for already expired tokens", () => {
    expect(isExpiringSoon(inDays(3), now)).toBe(true);
    expect(isExpiringSoon(new Date(now.getTime() + EXPIRY_WARNING_MS), now)).toBe(true);
    expect(isExpiringSoon(inDays(8), now)).toBe(false);
    expect(isExpiringSoon(null, now)).toBe(false);
    expect(isExpiringSoon(undefined, now)).toBe(false);
    expect(isExpiringSoon(inDays(-1), now)).toBe(false);
  });
});

describe("tokenCheckResult", () => {
  it("maps verdicts to a result", () => {
    expect(tokenCheckResult({ state: "valid", method: "debug_token", latencyMs: 1, expiresAt: null }, false)).toBe("HEALTHY");
    expect(tokenCheckResult({ state: "valid", method: "debug_token", latencyMs: 1, expiresAt: inDays(3) }, true)).toBe("WARNING");
    expect(tokenCheckResult({ state: "invalid", method: "debug_token", latencyMs: 1, code: 190, subcode: null, reason: "r" }, false)).toBe("ERROR");
  });

  it("throttled and transient failures are UNKNOWN, a permanent non-auth error a WARNING", () => {
    expect(tokenCheckResult(inconclusive(130429, 400), false)).toBe("UNKNOWN");
    expect(tokenCheckResult(inconclusive(null, 502), false)).toBe("UNKNOWN");
    expect(tokenCheckResult(inconclusive(100, 400), false)).toBe("WARNING");
  });
});

describe("connectionHealthAfterTokenCheck", () => {
  it("an invalid token is an ERROR whatever else is going on", () => {
    expect(connectionHealthAfterTokenCheck({ result: "ERROR", current: "CRITICAL", offline: true })).toBe("ERROR");
  });

  it("no verdict leaves the connection alone", () => {
    expect(connectionHealthAfterTokenCheck({ result: "UNKNOWN", current: "ERROR", offline: false })).toBeNull();
  });

  it("an online connection takes the token's result", () => {
    expect(connectionHealthAfterTokenCheck({ result: "HEALTHY", current: "ERROR", offline: false })).toBe("HEALTHY");
    expect(connectionHealthAfterTokenCheck({ result: "WARNING", current: "HEALTHY", offline: false })).toBe("WARNING");
  });

  it("an offline connection keeps the monitor's level, except a token error now cleared", () => {
    expect(connectionHealthAfterTokenCheck({ result: "HEALTHY", current: "CRITICAL", offline: true })).toBeNull();
    expect(connectionHealthAfterTokenCheck({ result: "HEALTHY", current: "ERROR", offline: true })).toBe("WARNING");
  });
});
