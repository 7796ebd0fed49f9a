import { describe, expect, it } from "vitest";
import { connectionHealthLevel, type HealthLevelInput } from "@/lib/connections/health-level";

const base: HealthLevelInput = { status: "ACTIVE", healthStatus: "HEALTHY", healthReason: null, token: { isValid: true, invalidReason: null } };

describe("connectionHealthLevel", () => {
  it("follows the monitor's level while the token is good", () => {
    expect(connectionHealthLevel(base)).toEqual({ level: "HEALTHY", reason: null });
    expect(connectionHealthLevel({ ...base, healthStatus: "WARNING", healthReason: "Access token expires on 2026-03-01" })).toEqual({
      level: "WARNING",
      reason: "Access token expires on 2026-03-01",
    });
    expect(connectionHealthLevel({ ...base, status: "DISCONNECTED", healthStatus: "CRITICAL", healthReason: "number status is BANNED" }).level).toBe("CRITICAL");
  });

  it("an invalid token outranks everything else, with Meta's reason", () => {
    const invalid = { ...base, token: { isValid: false, invalidReason: "Meta rejected the access token (code 190/463): the token has expired" } };
    expect(connectionHealthLevel({ ...invalid, healthStatus: "CRITICAL" })).toEqual({ level: "INVALID_TOKEN", reason: invalid.token.invalidReason });
    expect(connectionHealthLevel({ ...base, status: "INVALID" }).level).toBe("INVALID_TOKEN");
    expect(connectionHealthLevel({ ...base, healthStatus: "ERROR", healthReason: "rejected" })).toEqual({ level: "INVALID_TOKEN", reason: "rejected" });
    expect(connectionHealthLevel({ ...base, token: null }).level).toBe("INVALID_TOKEN");
  });

  it("never checked is its own state, and removed numbers say so", () => {
    expect(connectionHealthLevel({ ...base, healthStatus: "UNKNOWN" })).toEqual({ level: "UNKNOWN", reason: "Not checked yet" });
    expect(connectionHealthLevel({ ...base, status: "REMOVED", token: null }).level).toBe("REMOVED");
  });
});
