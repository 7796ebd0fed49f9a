import { signInSchema } from "@/lib/auth/auth-schemas";
import { sessionCookie } from "@/lib/auth/session-token";
import { deviceOf, startSession } from "@/lib/auth/start-session";
import { signIn } from "@/lib/auth/sign-in";
import { clientIp } from "@/lib/http/client-ip";
import { isHttps } from "@/lib/http/is-same-origin";
import { withPublic } from "@/lib/http/with-public";
import { readJsonBody } from "@/lib/http/read-json-body";

// POST /api/v1/auth/sign-in – check credentials (rate-limited) and set the session cookie
export const POST = withPublic(async ({ request }) => {
  const input = signInSchema.parse(await readJsonBody(request));
  const { userId, workspaceId } = await signIn(input, clientIp(request));
  const token = await startSession({ userId, workspaceId }, deviceOf(request));
  return Response.json({ data: { userId, workspaceId } }, { headers: { "set-cookie": sessionCookie(token, isHttps(request)) } });
});
