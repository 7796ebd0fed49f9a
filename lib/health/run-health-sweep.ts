import { env } from "@/lib/env";
import type { JobHandler } from "@/lib/jobs/job-context";
import { appAccessToken } from "@/lib/whatsapp/graph-client";
import { checkTokenHealth } from "@/lib/health/check-token-health";
import { graphRateLimit } from "@/lib/health/graph-rate-limit";
import { sweepConnections } from "@/lib/health/sweep-connections";

// The `whatsapp-health-check` job: every connection that has a token and is not removed gets its token
// validated, HEALTH_CHECK_CONCURRENCY at a time and at most HEALTH_CHECK_RATE_PER_SECOND Graph calls per
// second. INVALID ones too, so a re-authorised token is noticed; DISCONNECTED ones too, because the
// connection monitor counts a rejected token as offline and leaves invalidating it (and telling the
// owners why) to this job.

export const runHealthSweep: JobHandler = async (ctx) => {
  const appToken = appAccessToken();
  const rateLimited = graphRateLimit(env.HEALTH_CHECK_RATE_PER_SECOND);
  const { summary, hasMore } = await sweepConnections({
    ctx,
    eligible: { status: { in: ["ACTIVE", "DISCONNECTED", "INVALID"] }, tokenId: { not: null } },
    claimField: "lastHealthCheckAt",
    concurrency: env.HEALTH_CHECK_CONCURRENCY,
    counts: ["healthy", "warning", "error", "transient", "notified"],
    check: (id) => checkTokenHealth(id, { appToken, rateLimited, log: ctx.log }),
  });
  const how = appToken ? "debug_token" : "phone-number probe";
  const message = hasMore
    ? `Checked ${summary.total} token${summary.total === 1 ? "" : "s"} (${how}); time budget spent, the next run continues the sweep`
    : `Checked ${summary.total} token${summary.total === 1 ? "" : "s"} (${how}): ${summary.healthy} healthy, ${summary.warning} warning, ${summary.error} invalid, ${summary.transient} without an answer`;
  return { message, summary, hasMore };
};
