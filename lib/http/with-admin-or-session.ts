import type { Logger } from "pino";
import { resolveSession, sessionTokenFromCookieHeader } from "@/lib/auth/resolve-session";
import { withAdmin } from "@/lib/http/with-admin";
import { withSession } from "@/lib/http/with-session";

/** What the caller may reach: an admin any workspace's objects, an owner only its own workspace's. */
export type CallerScope = { workspaceId?: string };

type Handler<P> = (ctx: { request: Request; params: P; log: Logger; actor: string; scope: CallerScope }) => Promise<Response>;

/**
 * For actions both platform admins and owners take on one route: a bearer token or an admin's
 * session goes through withAdmin (unscoped), any other caller through withSession (scoped to its
 * workspace, same-site mutations only). Each wrapper still does all of its own checks.
 */
export function withAdminOrSession<P = Record<string, never>>(handler: Handler<P>) {
  const asAdmin = withAdmin<P>(({ request, params, log, actor }) => handler({ request, params, log, actor, scope: {} }));
  const asOwner = withSession<P>(({ request, params, log, session }) => handler({ request, params, log, actor: session.email, scope: { workspaceId: session.workspaceId } }));
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => ((await callsAsAdmin(request)) ? asAdmin(request, context) : asOwner(request, context));
}

async function callsAsAdmin(request: Request): Promise<boolean> {
  if (/^Bearer\s/i.test(request.headers.get("authorization") ?? "")) return true;
  // A failure here (database down) is left to withSession, which answers it in the one envelope.
  const session = await resolveSession(sessionTokenFromCookieHeader(request.headers.get("cookie"))).catch(() => null);
  return session?.isAdmin ?? false;
}
