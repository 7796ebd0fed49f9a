import type { Logger } from "pino";
import { SYSTEM_MANAGE, verifyAdminToken } from "@/lib/auth/admin-token";
import { resolveSession, sessionTokenFromCookieHeader } from "@/lib/auth/resolve-session";
import { isSameOrigin } from "@/lib/http/is-same-origin";
import { AppError } from "@/lib/http/app-error";
import { toErrorResponse } from "@/lib/http/respond";
import { withRequestId } from "@/lib/http/request-id";
import { scopedLogger } from "@/lib/log/logger";

type AdminHandler<P> = (ctx: { request: Request; params: P; log: Logger; actor: string }) => Promise<Response>;

/**
 * The wrapper for the admin API: a bearer JWT carrying the `system:manage` permission, or a platform
 * admin's dashboard session (same-site mutations only). `actor` — the token's subject or the admin's
 * email — is what audit entries record as "who".
 */
export function withAdmin<P = Record<string, never>>(handler: AdminHandler<P>) {
  return withRequestId(async (request: Request, requestId: string, context: { params: Promise<P> }): Promise<Response> => {
    const log = scopedLogger({ requestId, route: new URL(request.url).pathname });
    try {
      const actor = await authenticateAdmin(request);
      return await handler({ request, params: await context.params, log: log.child({ actor }), actor });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}

async function authenticateAdmin(request: Request): Promise<string> {
  const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer) {
    const { subject, permissions } = await verifyAdminToken(bearer);
    if (!permissions.includes(SYSTEM_MANAGE)) throw new AppError("forbidden", `This needs the ${SYSTEM_MANAGE} permission`);
    return subject;
  }
  const session = await resolveSession(sessionTokenFromCookieHeader(request.headers.get("cookie")));
  if (!session) throw new AppError("unauthorized", "Send an admin token as Authorization: Bearer, or sign in as an admin");
  if (!session.isAdmin) throw new AppError("forbidden", `This needs the ${SYSTEM_MANAGE} permission`);
  if (request.method !== "GET" && !isSameOrigin(request)) throw new AppError("forbidden", "Cross-site request refused");
  return session.email;
}
