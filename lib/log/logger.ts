import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

// Header and field names whose values never reach a log line, wherever they appear.
const REDACT_PATHS = [
  "authorization",
  "token",
  "accessToken",
  "access_token",
  "input_token",
  "secret",
  "password",
  "passwordHash",
  "cookie",
  "*.authorization",
  "*.Authorization",
  "*.token",
  "*.accessToken",
  "*.access_token",
  "*.secret",
  "*.password",
  "*.cookie",
  'headers["x-hub-signature-256"]',
  'headers["x-cron-secret"]',
  'headers["authorization"]',
  'headers["cookie"]',
  '*.headers["x-hub-signature-256"]',
  '*.headers["x-cron-secret"]',
  '*.headers["authorization"]',
  '*.headers["cookie"]',
];

const TOKEN_QUERY = /([?&](?:access_token|input_token|token|hub\.verify_token|secret|client_secret)=)[^&#\s"]*/gi;

/** Replaces the value of any token-bearing query parameter in a URL or message. */
export function scrubSecrets(text: string): string {
  return text.replace(TOKEN_QUERY, "$1[redacted]").replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]");
}

export const logger: Logger = pino({
  level: env.LOG_LEVEL,
  base: { service: "whatrack" },
  redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  hooks: {
    // Message strings and url fields can carry tokens in query strings (e.g. debug_token?input_token=…).
    logMethod(args, method) {
      const scrubbed = args.map((a) => {
        if (typeof a === "string") return scrubSecrets(a);
        if (a && typeof a === "object" && "url" in a && typeof (a as { url: unknown }).url === "string") {
          return { ...a, url: scrubSecrets((a as { url: string }).url) };
        }
        return a;
      });
      method.apply(this, scrubbed as Parameters<typeof method>);
    },
  },
  serializers: {
    err: (err: unknown) => {
      const s = pino.stdSerializers.err(err as Error);
      return { ...s, message: scrubSecrets(s.message ?? ""), stack: s.stack ? scrubSecrets(s.stack) : undefined };
    },
  },
});

/** A child logger carrying a request or job id, so one run's lines can be found together. */
export function scopedLogger(bindings: { requestId?: string; jobId?: string; runId?: string; [k: string]: unknown }): Logger {
  return logger.child(bindings);
}
