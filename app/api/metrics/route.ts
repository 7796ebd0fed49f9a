import { withMetricsToken } from "@/lib/http/with-metrics-token";
import { renderMetrics } from "@/lib/metrics/render-metrics";

export const dynamic = "force-dynamic";

// GET /api/metrics – Prometheus text format, computed from the database at scrape time (docs/metrics.md).
export const GET = withMetricsToken(async () => {
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
