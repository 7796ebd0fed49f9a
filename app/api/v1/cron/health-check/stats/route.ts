import { getHealthStats } from "@/lib/health/get-health-stats";
import { withAdmin } from "@/lib/http/with-admin";
import { ok } from "@/lib/http/respond";

// GET /api/v1/cron/health-check/stats – connections counted by health and connection status (admin)
export const GET = withAdmin(async () => ok({ data: await getHealthStats() }));
