import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";
import { listTemplates } from "@/lib/templates/list-templates";
import { listTemplatesQuery } from "@/lib/templates/templates-schemas";

// GET /api/v1/templates?connectionId=&status=&cursor=&limit= – the workspace's message templates synced from Meta, by name
export const GET = withSession(async ({ request, db }) => {
  const query = listTemplatesQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listTemplates(db, query));
});
