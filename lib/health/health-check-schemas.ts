import { z } from "zod";
import { cursorParam, limitParam } from "@/lib/pagination/keyset-cursor";

// Query and response shapes of the workspace-wide health-check history (also the source of its OpenAPI description).

export const listHealthChecksQuery = z.object({
  connectionId: z.string().min(1).max(64).optional().describe("Only this number's checks"),
  cursor: cursorParam.optional(),
  limit: limitParam(200, 50),
});

export const healthCheckSchema = z.object({
  id: z.string(),
  checkedAt: z.iso.datetime(),
  connection: z.object({ id: z.string(), name: z.string().nullable(), displayPhoneNumber: z.string().nullable() }),
  kind: z.string().describe("token | number | subscription"),
  result: z.enum(["UNKNOWN", "HEALTHY", "WARNING", "CRITICAL", "ERROR"]),
  latencyMs: z.number().int().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
});

export const healthCheckListSchema = z.object({ data: z.array(healthCheckSchema).describe("Newest first"), nextCursor: z.string().nullable() });

/** The admin API's stats: connections counted by health and connection status (removed ones left out). */
export const healthStatsSchema = z.array(
  z.object({
    healthStatus: z.enum(["UNKNOWN", "HEALTHY", "WARNING", "CRITICAL", "ERROR"]),
    connectionStatus: z.enum(["ACTIVE", "DISCONNECTED", "INVALID"]),
    count: z.number().int(),
  }),
);

export type ListHealthChecksQuery = z.infer<typeof listHealthChecksQuery>;
export type HealthCheckList = z.infer<typeof healthCheckListSchema>;
