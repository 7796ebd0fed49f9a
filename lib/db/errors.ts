import { Prisma } from "@/lib/generated/prisma/client";

// The one place that recognises database errors by kind. Driver adapters wrap the driver's error,
// so codes are looked for on the error and along its `cause` chain.

function* causes(err: unknown): Generator<Record<string, unknown>> {
  let current: unknown = err;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    yield current as Record<string, unknown>;
    current = (current as { cause?: unknown }).cause;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e.code === "P2002" || e.code === "23505") return true;
    if (e.kind === "UniqueConstraintViolation") return true;
  }
  return false;
}

const UNAVAILABLE_CODES = new Set([
  "P1001", // can't reach database server
  "P1002", // timed out
  "P1017", // server closed the connection
  "P2024", // pool timeout
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02",
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

/** True when the database could not be reached (so the caller answers 503 and the sender retries). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  for (const e of causes(err)) {
    if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
    if (e.kind === "DatabaseNotReachable" || e.kind === "ConnectionClosed" || e.kind === "SocketTimeout") return true;
    const message = typeof e.message === "string" ? e.message : "";
    if (/ECONNREFUSED|Connection terminated|connect ETIMEDOUT|Can't reach database/i.test(message)) return true;
  }
  return false;
}

/**
 * A readable message for an error, for people (a failed webhook's card): Prisma wraps database errors
 * as "Invalid `prisma.$queryRaw()` invocation: … Message: `<the database's message>`"; keep the latter.
 */
export function readableErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const inner = /Message: `([\s\S]+?)`\s*$/.exec(message.trim())?.[1];
  return (inner ?? message).trim();
}
