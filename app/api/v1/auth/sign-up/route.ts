import { signUpSchema } from "@/lib/auth/auth-schemas";
import { sessionCookie } from "@/lib/auth/session-token";
import { deviceOf, startSession } from "@/lib/auth/start-session";
import { signUp } from "@/lib/auth/sign-up";
import { isHttps } from "@/lib/http/is-same-origin";
import { withPublic } from "@/lib/http/with-public";
import { readJsonBody } from "@/lib/http/read-json-body";

// POST /api/v1/auth/sign-up – create a workspace and its owner, and sign in
export const POST = withPublic(async ({ request }) => {
  const input = signUpSchema.parse(await readJsonBody(request));
  const { userId, workspaceId } = await signUp(input);
  const token = await startSession({ userId, workspaceId }, deviceOf(request));
  return Response.json({ data: { userId, workspaceId } }, { status: 201, headers: { "set-cookie": sessionCookie(token, isHttps(request)) } });
});
