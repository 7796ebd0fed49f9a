import { env } from "@/lib/env";
import type { JobHandler } from "@/lib/jobs/job-context";
import { graphRateLimit } from "@/lib/health/graph-rate-limit";
import { monitorConnection } from "@/lib/health/monitor-connection";
import { sweepConnections } from "@/lib/health/sweep-connections";

// The `connection-monitor` job (every 15 minutes): every live connection whose token is valid — an invalid
// token is the health check's business, and every call here would fail the same way — gets its number,
// send-path health and webhook subscription checked, with the same concurrency and rate cap as the health check.

export const runConnectionMonitor: JobHandler = async (ctx) => {
  const rateLimited = graphRateLimit(env.HEALTH_CHECK_RATE_PER_SECOND);
  const criticalAfterMs = env.CONNECTION_CRITICAL_AFTER_HOURS * 3_600_000;
  const { summary, hasMore } = await sweepConnections({
    ctx,
    eligible: { status: { in: ["ACTIVE", "DISCONNECTED"] }, token: { is: { isValid: true } } },
    claimField: "lastMonitoredAt",
    concurrency: env.HEALTH_CHECK_CONCURRENCY,
    counts: ["healthy", "warning", "critical", "unknown", "transient", "reconnected", "notified"],
    check: (id) => monitorConnection(id, { rateLimited, criticalAfterMs, log: ctx.log }),
  });
  const message = hasMore
    ? `Monitored ${summary.total} number${summary.total === 1 ? "" : "s"}; time budget spent, the next run continues the sweep`
    : `Monitored ${summary.total} number${summary.total === 1 ? "" : "s"}: ${summary.healthy} healthy, ${summary.warning} warning, ${summary.critical} critical, ${summary.reconnected} re-subscribed`;
  return { message, summary, hasMore };
};
