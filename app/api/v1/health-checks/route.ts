import { listHealthChecksQuery } from "@/lib/health/health-check-schemas";
import { listWorkspaceHealthChecks } from "@/lib/health/list-workspace-health-checks";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/health-checks?connectionId=&cursor= – health-check history of the workspace's numbers, newest first
export const GET = withSession(async ({ request, db }) => {
  const query = listHealthChecksQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listWorkspaceHealthChecks(db, query));
});
