import type { Logger } from "pino";
import { AppError } from "@/lib/http/app-error";
import { toErrorResponse } from "@/lib/http/respond";
import { isSameOrigin } from "@/lib/http/is-same-origin";
import { withRequestId } from "@/lib/http/request-id";
import { scopedLogger } from "@/lib/log/logger";

type PublicHandler = (ctx: { request: Request; log: Logger }) => Promise<Response>;

/** The wrapper for unauthenticated forms (sign-up, sign-in): same-site mutations only, one envelope. */
export function withPublic(handler: PublicHandler) {
  return withRequestId(async (request: Request, requestId: string): Promise<Response> => {
    const log = scopedLogger({ requestId, route: new URL(request.url).pathname });
    try {
      // API clients without a browser send no Origin; a browser's cross-site form post does.
      if (!isSameOrigin(request, { allowMissing: true })) throw new AppError("forbidden", "Cross-site request refused");
      return await handler({ request, log });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}
