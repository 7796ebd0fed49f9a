import type { HealthCheckView } from "@/lib/connections/connection-schemas";
import type { HealthStatus } from "@/lib/generated/prisma/enums";

export type HealthCheckRow = {
  id: string;
  kind: string;
  result: HealthStatus;
  latencyMs: number | null;
  errorCode: number | null;
  errorMessage: string | null;
  details: unknown;
  checkedAt: Date;
};

/** A stored check as the API shows it: Meta's error when there was one, else the monitor's finding. */
export function toHealthCheckView(row: HealthCheckRow): HealthCheckView {
  const details = row.details && typeof row.details === "object" ? (row.details as Record<string, unknown>) : {};
  const finding = typeof details.reason === "string" ? details.reason : null;
  return {
    id: row.id,
    kind: row.kind,
    result: row.result,
    latencyMs: row.latencyMs,
    errorCode: row.errorCode,
    reason: row.errorMessage ?? finding,
    checkedAt: row.checkedAt.toISOString(),
  };
}
