import { updateConnectionSettingsSchema } from "@/lib/connections/connection-schemas";
import { disconnectNumber } from "@/lib/connections/disconnect-number";
import { getConnection } from "@/lib/connections/get-connection";
import { updateConnectionSettings } from "@/lib/connections/update-connection-settings";
import { withSession } from "@/lib/http/with-session";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";

type Params = { id: string };

// GET /api/v1/connections/{id} – one number: health, token state (last four characters), uptime, settings
export const GET = withSession<Params>(async ({ params, db }) => ok({ data: await getConnection(db, params.id) }));

// PATCH /api/v1/connections/{id} – change its name, auto-reply and alert recipients
export const PATCH = withSession<Params>(async ({ request, params, db }) => {
  const input = updateConnectionSettingsSchema.parse(await readJsonBody(request));
  return ok({ data: await updateConnectionSettings(db, params.id, input) });
});

// DELETE /api/v1/connections/{id} – disconnect: unsubscribe from its webhooks (best effort) and erase the token
export const DELETE = withSession<Params>(async ({ params, db, log }) => ok({ data: await disconnectNumber(db, params.id, log) }));
