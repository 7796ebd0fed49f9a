import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";
import { syncTemplatesNow } from "@/lib/templates/sync-templates-now";

// Each WABA's list is read from Graph page by page.
export const maxDuration = 60;

// POST /api/v1/templates/sync – sync the workspace's templates from Meta now; answers what changed
export const POST = withSession(async ({ session, log }) => ok({ data: await syncTemplatesNow(session.workspaceId, log) }));
