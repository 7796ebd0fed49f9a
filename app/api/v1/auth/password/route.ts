import { changePassword, changePasswordSchema } from "@/lib/auth/change-password";
import { readJsonBody } from "@/lib/http/read-json-body";
import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// POST /api/v1/auth/password – change the password (the current one required); ends the user's other sessions
export const POST = withSession(async ({ request, session }) => {
  const input = changePasswordSchema.parse(await readJsonBody(request));
  return ok({ data: await changePassword(session, input) });
});
