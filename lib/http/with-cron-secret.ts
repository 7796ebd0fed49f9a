import { after } from "next/server";
import type { Logger } from "pino";
import { env } from "@/lib/env";
import { fail, toErrorResponse } from "@/lib/http/respond";
import { withRequestId } from "@/lib/http/request-id";
import { secureCompare } from "@/lib/http/secure-compare";
import { scopedLogger } from "@/lib/log/logger";
import { kickOutboxDrain } from "@/lib/outbound/drain-outbox";
import { kickInboxDrain } from "@/lib/webhooks/drain-inbox";

// Query parameters that would put the secret into URLs, proxies' and platforms' access logs.
const SECRET_QUERY = ["secret", "cron_secret", "cronSecret", "token", "key", "x-cron-secret"];

type CronHandler<P> = (ctx: { request: Request; params: P; log: Logger; caller: "vercel-cron" | "external-cron" }) => Promise<Response>;

/**
 * The wrapper for job endpoints. Accepts `Authorization: Bearer <CRON_SECRET>` (what Vercel Cron
 * sends) or `x-cron-secret: <CRON_SECRET>` (curl, external crons), compared in constant time.
 * An unset CRON_SECRET refuses every call; a secret in the query string is refused outright.
 * Every authenticated call also drains the webhook inbox and the outbox after its response, so a
 * backlog that no new delivery or send comes to pick up (retries, paced sends) is taken by the next job call.
 */
export function withCronSecret<P = Record<string, never>>(handler: CronHandler<P>) {
  return withRequestId(async (request: Request, requestId: string, context: { params: Promise<P> }): Promise<Response> => {
    const log = scopedLogger({ requestId, route: new URL(request.url).pathname });
    try {
      const query = new URL(request.url).searchParams;
      if (SECRET_QUERY.some((name) => query.has(name))) {
        return fail("unauthorized", "Secrets are not accepted in the URL: send it in the x-cron-secret header or as Authorization: Bearer");
      }
      if (!env.CRON_SECRET) {
        log.error("CRON_SECRET is not set: job endpoints refuse every call");
        return fail("unauthorized", "Job endpoints are disabled until CRON_SECRET is configured");
      }
      const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
      const header = request.headers.get("x-cron-secret");
      const caller = bearer !== undefined ? "vercel-cron" : "external-cron";
      if (!secureCompare(bearer ?? header, env.CRON_SECRET)) {
        log.warn({ caller }, "job call with a missing or wrong secret");
        return fail("unauthorized", "Unauthorized: send CRON_SECRET as Authorization: Bearer or x-cron-secret");
      }
      after(kickInboxDrain);
      after(kickOutboxDrain);
      return await handler({ request, params: await context.params, log, caller });
    } catch (err) {
      return toErrorResponse(err, log);
    }
  });
}
