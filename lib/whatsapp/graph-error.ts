import { z } from "zod";
import { scrubSecrets } from "@/lib/log/logger";
import { classifyGraphError, isRetryableKind, type GraphErrorKind } from "@/lib/whatsapp/classify-graph-error";

// Graph's error envelope. Every field is optional on purpose: a half-formed error body must still become
// a GraphError carrying whatever it did say, never a parse failure that hides the HTTP status.
const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z
      .object({ details: z.string().optional(), title: z.string().optional() })
      .optional()
      .catch(undefined),
    fbtrace_id: z.string().optional(),
  }),
});

// Graph sometimes echoes the offending token in its message ("Malformed access token EAAG…").
// User tokens start with EAA; app tokens are "{app-id}|{secret}".
const RAW_TOKEN = /\bEAA[A-Za-z0-9]{16,}|\b\d{6,}\|[A-Za-z0-9_-]{16,}/g;

/** Removes anything token-shaped from text that may end up in an error message or a log line. */
export function redactTokens(text: string): string {
  return scrubSecrets(text).replace(RAW_TOKEN, "[redacted]");
}

export interface GraphErrorInit {
  message: string;
  httpStatus: number | null;
  code: number | null;
  subcode?: number | null;
  fbtraceId?: string | null;
  title?: string | null;
  details?: string | null;
  /** Overrides classification from code/status (a body that fails our schema is "unknown" even on 200). */
  kind?: GraphErrorKind;
  cause?: unknown;
}

/** A failed Graph API call: what Meta said, and what kind of failure it is for retry decisions. */
export class GraphError extends Error {
  readonly httpStatus: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly kind: GraphErrorKind;
  readonly retryable: boolean;
  readonly fbtraceId: string | null;
  readonly title: string | null;
  readonly details: string | null;

  constructor(init: GraphErrorInit) {
    super(redactTokens(init.message), { cause: init.cause });
    this.name = "GraphError";
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.subcode = init.subcode ?? null;
    this.fbtraceId = init.fbtraceId ?? null;
    this.title = init.title != null ? redactTokens(init.title) : null;
    this.details = init.details != null ? redactTokens(init.details) : null;
    this.kind = init.kind ?? classifyGraphError({ httpStatus: init.httpStatus, code: init.code, subcode: init.subcode }).kind;
    this.retryable = isRetryableKind(this.kind);
  }

  /** An error response from Graph (or anything non-2xx that claims to be one). */
  static fromResponse(httpStatus: number, body: unknown): GraphError {
    const parsed = graphErrorBody.safeParse(body);
    if (!parsed.success) {
      return new GraphError({ message: `Graph API answered HTTP ${httpStatus} without an error body`, httpStatus, code: null });
    }
    const e = parsed.data.error;
    const code = e.code ?? null;
    const label = code != null ? `${code}${e.error_subcode != null ? `/${e.error_subcode}` : ""}` : `HTTP ${httpStatus}`;
    return new GraphError({
      message: `Graph API error ${label}: ${e.message ?? "no message"}`,
      httpStatus,
      code,
      subcode: e.error_subcode ?? null,
      fbtraceId: e.fbtrace_id ?? null,
      title: e.error_data?.title ?? e.error_user_title ?? e.message ?? null,
      details: e.error_data?.details ?? e.error_user_msg ?? null,
    });
  }

  /** The request never got an answer (DNS, connection refused or reset). */
  static network(cause: unknown): GraphError {
    const reason = cause instanceof Error ? describeNetworkCause(cause) : "unknown reason";
    return new GraphError({ message: `Graph API unreachable: ${reason}`, httpStatus: null, code: null, kind: "transient", cause });
  }

  static timeout(ms: number): GraphError {
    return new GraphError({ message: `Graph API did not answer within ${ms} ms`, httpStatus: null, code: null, kind: "transient" });
  }

  /** A 2xx whose body is not what we expect: Meta changed something, or something else answered. */
  static unexpectedBody(httpStatus: number, problem: string): GraphError {
    return new GraphError({ message: `Graph API answered HTTP ${httpStatus} with an unexpected body: ${problem}`, httpStatus, code: null, kind: "unknown" });
  }
}

// fetch() rejects with a bare "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND) is in its cause.
function describeNetworkCause(err: Error): string {
  const inner = err.cause;
  if (inner && typeof inner === "object" && "code" in inner && typeof inner.code === "string") return `${err.message} (${inner.code})`;
  if (inner instanceof Error) return `${err.message} (${inner.message})`;
  return err.message;
}
