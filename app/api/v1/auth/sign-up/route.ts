import { signUpSchema } from "@/lib/auth/auth-schemas";
import { deviceCookie } from "@/lib/auth/device-token";
import { sessionCookie } from "@/lib/auth/session-token";
import { deviceOf, startSession } from "@/lib/auth/start-session";
import { signUp } from "@/lib/auth/sign-up";
import { clientIp } from "@/lib/http/client-ip";
import { isHttps } from "@/lib/http/is-same-origin";
import { withPublic } from "@/lib/http/with-public";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";

// POST /api/v1/auth/sign-up – create a workspace and its owner (rate-limited), start a session
export const POST = withPublic(async ({ request }) => {
  const input = signUpSchema.parse(await readJsonBody(request));
  const { userId, workspaceId, deviceToken } = await signUp(input, { ip: clientIp(request) });
  const token = await startSession({ userId, workspaceId }, deviceOf(request));
  const secure = isHttps(request);
  const headers = new Headers([["set-cookie", sessionCookie(token, secure)], ["set-cookie", deviceCookie(deviceToken, secure)]]);
  return ok({ data: { userId, workspaceId } }, { status: 201, headers });
});
