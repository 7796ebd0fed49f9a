import { clearedSessionCookie } from "@/lib/auth/session-token";
import { isHttps } from "@/lib/http/is-same-origin";
import { withPublic } from "@/lib/http/with-public";

// POST /api/v1/auth/sign-out – clear the session cookie
export const POST = withPublic(async ({ request }) => Response.json({ data: { signedOut: true } }, { headers: { "set-cookie": clearedSessionCookie(isHttps(request)) } }));
