import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

type Params = { id: string };

// DELETE /api/v1/api-keys/{id} – revoke a key: it stops authenticating at once (the row stays, marked revoked)
export const DELETE = withSession<Params>(async ({ params, db, session }) => ok({ data: await revokeApiKey(db, session, params.id) }));
