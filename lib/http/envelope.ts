import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/http/app-error";

// The one envelope of every /api/v1 JSON answer (docs/architecture.md lists the few exceptions).
//   success: { success: true, data, ...meta }  — `data` always present (null when there is nothing to
//            return); beside it only what the route documents: a message, a job's ids, a page's cursors.
//   error:   { success: false, error: { code, message } } — the code fixes the HTTP status
//            (lib/http/app-error.ts); a job's failed run also names its jobId and runId.
// Plain zod, no server imports: the routes (lib/http/respond.ts), the UI (lib/http/call-api.ts), the
// OpenAPI document and the tests all read these.

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const errorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).strict(),
    jobId: z.string().optional().describe("Job routes: the job"),
    runId: z.string().nullable().optional().describe("Job routes: the run that failed"),
  })
  .strict();

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** What a route answers on success, before `success: true` is added: `data` and any documented metadata. */
export type Payload = z.ZodObject<{ data: z.ZodType }>;

/** A route's success answer: its payload schema with `success: true`. */
export function successEnvelope<P extends Payload>(payload: P) {
  return payload.extend({ success: z.literal(true) });
}

/** The payload of a route that answers only `data`. */
export const dataOnly = <T extends z.ZodType>(data: T) => z.object({ data });
