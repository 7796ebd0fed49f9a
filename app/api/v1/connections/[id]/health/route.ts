import { healthTimelineQuerySchema } from "@/lib/connections/connection-schemas";
import { getHealthTimeline } from "@/lib/connections/get-health-timeline";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/connections/{id}/health?days=7|30 – health timeline (checks and transitions) and recent checks
export const GET = withSession<{ id: string }>(async ({ request, params, db }) => {
  const { days } = healthTimelineQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok({ data: await getHealthTimeline(db, params.id, days) });
});
