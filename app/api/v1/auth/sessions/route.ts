import { endOtherSessions } from "@/lib/auth/end-other-sessions";
import { listSessions } from "@/lib/auth/list-sessions";
import { clearedSessionCookie } from "@/lib/auth/session-token";
import { isHttps } from "@/lib/http/is-same-origin";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/auth/sessions – the signed-in user's live sessions, one per device
export const GET = withSession(async ({ session }) => ok({ data: await listSessions(session.userId, session.sessionId) }));

// DELETE /api/v1/auth/sessions – sign out everywhere: end every session of this user, this one included
export const DELETE = withSession(async ({ request, session }) => {
  const ended = await endOtherSessions(session.userId);
  return ok({ data: { ended } }, { headers: { "set-cookie": clearedSessionCookie(isHttps(request)) } });
});
