import { connectNumberSchema } from "@/lib/connections/connection-schemas";
import { connectNumber } from "@/lib/connections/connect-number";
import { listConnections } from "@/lib/connections/list-connections";
import { withSession } from "@/lib/http/with-session";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";

// Connecting waits on Meta (number details, webhook subscription, then a first health check).
export const maxDuration = 60;

// GET /api/v1/connections – every connected number of the workspace with its health and uptime
export const GET = withSession(async ({ db }) => ok({ data: await listConnections(db) }));

// POST /api/v1/connections – connect a number: checked against Meta, subscribed to webhooks, token sealed
export const POST = withSession(async ({ request, db, session, log }) => {
  const input = connectNumberSchema.parse(await readJsonBody(request));
  return ok({ data: await connectNumber(db, session.workspaceId, input, log) }, { status: 201 });
});
