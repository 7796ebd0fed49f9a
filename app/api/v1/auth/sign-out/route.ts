import { endSession } from "@/lib/auth/end-session";
import { sessionTokenFromCookieHeader } from "@/lib/auth/resolve-session";
import { clearedSessionCookie } from "@/lib/auth/session-token";
import { isHttps } from "@/lib/http/is-same-origin";
import { withPublic } from "@/lib/http/with-public";
import { ok } from "@/lib/http/respond";

// POST /api/v1/auth/sign-out – end this session on the server and clear its cookie (answers 200 even without one)
export const POST = withPublic(async ({ request }) => {
  await endSession(sessionTokenFromCookieHeader(request.headers.get("cookie")));
  return ok({ data: { signedOut: true } }, { headers: { "set-cookie": clearedSessionCookie(isHttps(request)) } });
});
