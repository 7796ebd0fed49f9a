import { getHealthStats } from "@/lib/health/get-health-stats";
import { withAdmin } from "@/lib/http/with-admin";

// GET /api/v1/cron/health-check/stats – connections counted by health and connection status (admin)
export const GET = withAdmin(async () => Response.json({ success: true, data: await getHealthStats() }));
