import type { Logger } from "pino";
import { env } from "@/lib/env";
import { checkTokenHealth } from "@/lib/health/check-token-health";
import { graphRateLimit } from "@/lib/health/graph-rate-limit";
import { monitorConnection } from "@/lib/health/monitor-connection";
import type { SweepCounts } from "@/lib/health/sweep-connections";

/**
 * The two health jobs' work for one connection, now: the token check, then the connection monitor (which
 * skips a token just found invalid). Same code, same Graph rate cap and same alerts as the scheduled runs.
 * The caller must own the connection and have claimed it (see check-connection-now.ts).
 */
export async function runConnectionChecks(connectionId: string, log: Logger): Promise<{ token: SweepCounts; monitor: SweepCounts }> {
  const rateLimited = graphRateLimit(env.HEALTH_CHECK_RATE_PER_SECOND);
  const token = await checkTokenHealth(connectionId, { rateLimited, log });
  const monitor = await monitorConnection(connectionId, { rateLimited, log });
  return { token, monitor };
}
