import type { HealthStatus } from "@/lib/generated/prisma/enums";
import type { TokenVerdict } from "@/lib/health/validate-token";

// What a token check means for the HealthCheck row and for the connection's healthStatus. Pure, so the
// rules are tested on their own. The connection's healthStatus is shared with the connection monitor:
// the token check must not paper over an offline number (the monitor's Warning/Critical stands).

export const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/** True when the token expires within the warning period (an already-expired token is invalid, not expiring). */
export function isExpiringSoon(expiresAt: Date | null | undefined, now: Date): boolean {
  if (!expiresAt) return false;
  const left = expiresAt.getTime() - now.getTime();
  return left > 0 && left <= EXPIRY_WARNING_MS;
}

/** The HealthCheck row's result for a verdict. */
export function tokenCheckResult(verdict: TokenVerdict, expiringSoon: boolean): HealthStatus {
  if (verdict.state === "valid") return expiringSoon ? "WARNING" : "HEALTHY";
  if (verdict.state === "invalid") return "ERROR";
  // Retryable or unreadable answers say nothing about the token; a permanent non-auth error (the token works
  // but cannot reach this number, or the account is restricted) is worth a warning.
  return verdict.error.retryable || verdict.error.kind === "unknown" ? "UNKNOWN" : "WARNING";
}

/** The connection's next healthStatus after a token check; null = leave it as it is. */
export function connectionHealthAfterTokenCheck(input: { result: HealthStatus; current: HealthStatus; offline: boolean }): HealthStatus | null {
  const { result, current, offline } = input;
  if (result === "ERROR") return "ERROR";
  if (result === "UNKNOWN") return null;
  if (!offline) return result;
  // Offline: the monitor's level stands, unless it is the token error this check has just cleared.
  return current === "ERROR" || current === "UNKNOWN" ? "WARNING" : null;
}
