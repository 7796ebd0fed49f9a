import { createApiKeySchema } from "@/lib/api-keys/api-keys-schemas";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { withSession } from "@/lib/http/with-session";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";

// GET /api/v1/api-keys – the workspace's API keys (prefix, name, dates; never the key)
export const GET = withSession(async ({ db }) => ok({ data: await listApiKeys(db) }));

// POST /api/v1/api-keys – create a key; the answer is the only time the key is shown
export const POST = withSession(async ({ request, db, session }) => {
  const input = createApiKeySchema.parse(await readJsonBody(request));
  // no-store: the key is in this answer only, and no cache should keep a copy.
  return ok({ data: await createApiKey(db, session, input) }, { status: 201, headers: { "cache-control": "no-store" } });
});
