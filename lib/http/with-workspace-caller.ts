import type { Logger } from "pino";
import { resolveApiKey } from "@/lib/api-keys/resolve-api-key";
import { AppError } from "@/lib/http/app-error";
import { withRequestId } from "@/lib/http/request-id";
import { toErrorResponse } from "@/lib/http/respond";
import { requireSession } from "@/lib/http/with-session";
import { scopedLogger } from "@/lib/log/logger";
import { scopedDb, type ScopedDb } from "@/lib/tenancy/scoped-db";

/** Who is calling, for one workspace: a member's session or a workspace API key. */
export type WorkspaceCaller = {
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  /** For the audit log: the member's email, or `api-key:<prefix>`. */
  actor: string;
};

type CallerHandler<P> = (ctx: { request: Request; params: P; log: Logger; caller: WorkspaceCaller; db: ScopedDb }) => Promise<Response>;

/**
 * The wrapper for routes that integrations call too: `Authorization: Bearer wt_…` (a workspace API
 * key, not revoked) or, without that header, an owner's session exactly as withSession checks it
 * (mutations from this site's own pages only: a cookie is sent by browsers cross-site, a key is not).
 * A Bearer that is not a valid key is 401 — never a fall back to the cookie. The handler gets a
 * database client scoped to the caller's workspace.
 */
export function withWorkspaceCaller<P = Record<string, never>>(handler: CallerHandler<P>) {
  return withRequestId(async (request: Request, requestId: string, context: { params: Promise<P> }): Promise<Response> => {
    const log = scopedLogger({ requestId, route: new URL(request.url).pathname });
    try {
      const caller = await identify(request);
      const scoped = log.child({ workspaceId: caller.workspaceId, ...(caller.userId ? { userId: caller.userId } : { apiKeyId: caller.apiKeyId }) });
      return await handler({ request, params: await context.params, log: scoped, caller, db: scopedDb(caller.workspaceId) });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}

async function identify(request: Request): Promise<WorkspaceCaller> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const key = presented ? await resolveApiKey(presented) : null;
    if (!key) throw new AppError("unauthorized", "Invalid or revoked API key");
    return { workspaceId: key.workspaceId, userId: null, apiKeyId: key.apiKeyId, actor: `api-key:${key.prefix}` };
  }
  const session = await requireSession(request, "Sign in first, or send a workspace API key as Authorization: Bearer");
  return { workspaceId: session.workspaceId, userId: session.userId, apiKeyId: null, actor: session.email };
}
