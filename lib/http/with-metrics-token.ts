import type { Logger } from "pino";
import { env } from "@/lib/env";
import { withRequestId } from "@/lib/http/request-id";
import { fail, toErrorResponse } from "@/lib/http/respond";
import { secureCompare } from "@/lib/http/secure-compare";
import { scopedLogger } from "@/lib/log/logger";

type MetricsHandler = (ctx: { request: Request; log: Logger }) => Promise<Response>;

/**
 * The wrapper for the Prometheus scrape: `Authorization: Bearer <METRICS_TOKEN>`, compared in constant
 * time. Its own secret, not CRON_SECRET: a scraper's credentials should not be able to run jobs. Unset
 * METRICS_TOKEN refuses every scrape (metrics name tenants' numbers of rows, never open by default).
 */
export function withMetricsToken(handler: MetricsHandler) {
  return withRequestId(async (request: Request, requestId: string): Promise<Response> => {
    const log = scopedLogger({ requestId, route: "/api/metrics" });
    try {
      if (!env.METRICS_TOKEN) return fail("unauthorized", "Metrics are disabled until METRICS_TOKEN is configured");
      const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
      if (!secureCompare(bearer, env.METRICS_TOKEN)) return fail("unauthorized", "Unauthorized: send METRICS_TOKEN as Authorization: Bearer");
      return await handler({ request, log });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}
