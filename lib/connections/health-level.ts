import type { ConnectionStatus, HealthStatus } from "@/lib/generated/prisma/enums";
import type { HealthLevel } from "@/lib/connections/connection-schemas";

// The one verdict an owner sees per number, from what the health jobs stored: the token check's ERROR
// (Meta rejected the token) outranks everything; otherwise the connection monitor's level stands.

export interface HealthLevelInput {
  status: ConnectionStatus;
  healthStatus: HealthStatus;
  healthReason: string | null;
  token: { isValid: boolean; invalidReason: string | null } | null;
}

export function connectionHealthLevel(c: HealthLevelInput): { level: HealthLevel; reason: string | null } {
  if (c.status === "REMOVED") return { level: "REMOVED", reason: "Disconnected by the owner; the access token was erased" };
  if (!c.token) return { level: "INVALID_TOKEN", reason: "No access token is stored for this number: connect it again" };
  if (!c.token.isValid || c.status === "INVALID" || c.healthStatus === "ERROR") {
    return { level: "INVALID_TOKEN", reason: c.token.invalidReason ?? c.healthReason ?? "Meta rejected the access token" };
  }
  switch (c.healthStatus) {
    case "HEALTHY":
      return { level: "HEALTHY", reason: c.healthReason };
    case "WARNING":
      return { level: "WARNING", reason: c.healthReason };
    case "CRITICAL":
      return { level: "CRITICAL", reason: c.healthReason };
    default:
      return { level: "UNKNOWN", reason: c.healthReason ?? "Not checked yet" };
  }
}

export const HEALTH_LEVEL_LABEL: Record<HealthLevel, string> = {
  HEALTHY: "Healthy",
  WARNING: "Warning",
  CRITICAL: "Critical",
  INVALID_TOKEN: "Invalid token",
  UNKNOWN: "Not checked yet",
  REMOVED: "Disconnected",
};
