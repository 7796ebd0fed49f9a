import { ZodError } from "zod";
import type { Logger } from "pino";
import { AppError, ERROR_STATUS, type ErrorCode } from "@/lib/http/app-error";
import { isDatabaseUnavailable } from "@/lib/db/errors";

// The one way a route answers JSON: the envelope of lib/http/envelope.ts.

/** Success: `{ success: true, data, ...meta }`, meta being what the route documents beside `data`. */
export function ok<P extends { data: unknown }>(payload: P, init?: ResponseInit): Response {
  return Response.json({ success: true, ...payload }, init);
}

type FailInit = { headers?: HeadersInit; jobId?: string; runId?: string | null };

/** Error: `{ success: false, error: { code, message } }`, with the status the code maps to. */
export function fail(code: ErrorCode, message: string, { headers, ...job }: FailInit = {}): Response {
  return Response.json({ success: false, error: { code, message }, ...job }, { status: ERROR_STATUS[code], headers });
}

/** Maps anything thrown by domain code to an error answer. Details go to logs only; unknown errors become a generic 500. */
export function toErrorResponse(err: unknown, log: Logger): Response {
  if (err instanceof AppError) {
    if (err.status >= 500) log.error({ err }, err.message);
    return fail(err.code, err.message);
  }
  if (err instanceof ZodError) {
    return fail("unprocessable_entity", err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  if (isDatabaseUnavailable(err)) {
    log.error({ err }, "database unavailable");
    return fail("unavailable", "Service temporarily unavailable, retry later", { headers: { "Retry-After": "5" } });
  }
  log.error({ err }, "unhandled error");
  return fail("internal_error", "Internal server error");
}
