import { checkConnectionNow } from "@/lib/connections/check-connection-now";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// A token check and a monitor pass: a few Graph calls, each bounded by GRAPH_API_TIMEOUT_MS.
export const maxDuration = 60;

// POST /api/v1/connections/{id}/check – check the number now and return its fresh state
export const POST = withSession<{ id: string }>(async ({ params, db, log }) => ok({ data: await checkConnectionNow(db, params.id, log) }));
