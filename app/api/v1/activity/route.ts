import { listActivityQuery } from "@/lib/activity/activity-schemas";
import { listActivity } from "@/lib/activity/list-activity";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/activity?after=&cursor=&limit= – the workspace's activity feed, newest first; `after` for what is new
export const GET = withSession(async ({ request, db }) => {
  const query = listActivityQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listActivity(db, query));
});
