import type { Logger } from "pino";
import { resolveSession, sessionTokenFromCookieHeader, type Session } from "@/lib/auth/resolve-session";
import { AppError } from "@/lib/http/app-error";
import { toErrorResponse } from "@/lib/http/respond";
import { isSameOrigin } from "@/lib/http/is-same-origin";
import { withRequestId } from "@/lib/http/request-id";
import { scopedLogger } from "@/lib/log/logger";
import { scopedDb, type ScopedDb } from "@/lib/tenancy/scoped-db";

type SessionHandler<P> = (ctx: { request: Request; params: P; log: Logger; session: Session; db: ScopedDb }) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The wrapper for owners' calls: a valid session cookie whose membership still exists; mutations
 * must come from this site's own pages. The handler gets a database client scoped to the session's
 * workspace (lib/tenancy/scoped-db.ts), so another tenant's rows are simply not found.
 */
export function withSession<P = Record<string, never>>(handler: SessionHandler<P>) {
  return withRequestId(async (request: Request, requestId: string, context: { params: Promise<P> }): Promise<Response> => {
    const log = scopedLogger({ requestId, route: new URL(request.url).pathname });
    try {
      const session = await requireSession(request, "Sign in first");
      return await handler({ request, params: await context.params, log: log.child({ userId: session.userId, workspaceId: session.workspaceId }), session, db: scopedDb(session.workspaceId) });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}

/** The session of a cookie-authenticated call; mutations only from this site's own pages (withSession, withWorkspaceCaller). */
export async function requireSession(request: Request, signedOutMessage: string): Promise<Session> {
  const session = await resolveSession(sessionTokenFromCookieHeader(request.headers.get("cookie")));
  if (!session) throw new AppError("unauthorized", signedOutMessage);
  if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request)) throw new AppError("forbidden", "Cross-site request refused");
  return session;
}
