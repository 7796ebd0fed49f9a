import { signInSchema } from "@/lib/auth/auth-schemas";
import { deviceCookie, readDeviceToken } from "@/lib/auth/device-token";
import { sessionCookie } from "@/lib/auth/session-token";
import { deviceOf, startSession } from "@/lib/auth/start-session";
import { signIn } from "@/lib/auth/sign-in";
import { clientIp } from "@/lib/http/client-ip";
import { isHttps } from "@/lib/http/is-same-origin";
import { withPublic } from "@/lib/http/with-public";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ok } from "@/lib/http/respond";

// POST /api/v1/auth/sign-in – check credentials (failures rate-limited), start a session, set the session and device cookies
export const POST = withPublic(async ({ request }) => {
  const input = signInSchema.parse(await readJsonBody(request));
  const { userId, workspaceId, deviceToken } = await signIn(input, { ip: clientIp(request), device: await readDeviceToken(request.headers.get("cookie")) });
  const token = await startSession({ userId, workspaceId }, deviceOf(request));
  const secure = isHttps(request);
  const headers = new Headers([["set-cookie", sessionCookie(token, secure)], ["set-cookie", deviceCookie(deviceToken, secure)]]);
  return ok({ data: { userId, workspaceId } }, { headers });
});
