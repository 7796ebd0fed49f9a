import { ZodError } from "zod";
import type { Logger } from "pino";
import { AppError } from "@/lib/http/app-error";
import { isDatabaseUnavailable } from "@/lib/db/errors";

/** The one JSON error shape: `{ error: { code, message } }`. Details go to logs only. */
export function errorJson(code: string, message: string, status: number, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/**
 * The job endpoints' contract (what crons and the seeds' scripts read): `{ success: false, error }`.
 * Same codes and statuses as errorJson; only the envelope differs.
 */
export function jobErrorJson(status: number, message: string, headers?: HeadersInit): Response {
  return Response.json({ success: false, error: message }, { status, headers });
}

type Shape = "api" | "job";

function respond(shape: Shape, code: string, message: string, status: number, headers?: HeadersInit): Response {
  return shape === "job" ? jobErrorJson(status, message, headers) : errorJson(code, message, status, headers);
}

/** Maps anything thrown by domain code to a response. Unknown errors become a generic 500. */
export function toErrorResponse(err: unknown, log: Logger, shape: Shape = "api"): Response {
  if (err instanceof AppError) {
    if (err.status >= 500) log.error({ err }, err.message);
    return respond(shape, err.code, err.message, err.status);
  }
  if (err instanceof ZodError) {
    const message = err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return respond(shape, "unprocessable_entity", message, 422);
  }
  if (isDatabaseUnavailable(err)) {
    log.error({ err }, "database unavailable");
    return respond(shape, "unavailable", "Service temporarily unavailable, retry later", 503, { "Retry-After": "5" });
  }
  log.error({ err }, "unhandled error");
  return respond(shape, "internal_error", "Internal server error", 500);
}
