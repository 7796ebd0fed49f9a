import { z } from "zod";

// The one place that reads process.env. Parsed once at start-up (next.config imports this file,
// so a bad value fails `next build`/`next start` before any request is served).

const optional = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),

  // Database: a PostgreSQL URL, or nothing for the embedded PGlite database under PGLITE_DATA_DIR.
  DATABASE_URL: optionalUrl,
  PGLITE_DATA_DIR: z.string().default(".data/pglite"),
  // Minutes between backups of the embedded database into .data/backups/ (0: none). See docs/embedded-database.md.
  PGLITE_BACKUP_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

  // Lock store: TCP Redis, Upstash REST (or Vercel KV's names), else in-process memory.
  REDIS_URL: optionalUrl,
  UPSTASH_REDIS_REST_URL: optionalUrl,
  UPSTASH_REDIS_REST_TOKEN: optional,
  KV_REST_API_URL: optionalUrl,
  KV_REST_API_TOKEN: optional,
  // Namespace of every key WhaTrack writes to Redis: give each deployment sharing one Redis its own.
  REDIS_KEY_PREFIX: z.string().regex(/^[\w.-]{1,64}$/).default("whatrack"),

  // How long a claim on a stored delivery lasts before the retry path may take it over (its process died).
  WEBHOOK_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  // How long one invocation drains stored deliveries before it hands on: below the webhook route's
  // maxDuration (60 s), with room to settle the last batch.
  WEBHOOK_DRAIN_BUDGET_SECONDS: z.coerce.number().min(1).max(280).default(45),
  // Deliveries claimed per batch of the drain, and drain loops per process.
  WEBHOOK_DRAIN_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  WEBHOOK_DRAIN_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  // /api/health says "degraded" (still 200) once the oldest unprocessed delivery is older than this.
  WEBHOOK_LAG_DEGRADED_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  // A send due this long and not yet taken by a drainer makes /api/health "degraded" (waiting on purpose — a
  // backoff, a pacing slot, a token to fix — is not due, so never counts).
  OUTBOX_LAG_DEGRADED_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),

  // The outbox (docs/outbound.md): how long one invocation drains queued sends before it hands on
  // (below the routes' 60 s maxDuration), sends claimed per batch, drain loops per process, sends in
  // flight per batch (the shared limiter spaces them), and attempts before a send is set aside (DEAD).
  OUTBOX_DRAIN_BUDGET_SECONDS: z.coerce.number().min(1).max(280).default(45),
  OUTBOX_DRAIN_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  OUTBOX_DRAIN_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  OUTBOX_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(100),
  OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),

  // Outbound: each connection's circuit breaker opens after this many transient send failures in a row (an
  // auth or restriction error opens it at once), for the cooldown, doubled after each failed probe up to the max.
  OUTBOUND_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  OUTBOUND_BREAKER_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  OUTBOUND_BREAKER_MAX_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),

  // Jobs
  // Lock TTL and database lease of a running job, renewed by its heartbeat: a killed run frees the job
  // within this many seconds. Never longer than the job routes' maxDuration (300 s).
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(300).default(60),
  HEALTH_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  HEALTH_CHECK_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(200),
  CONNECTION_CRITICAL_AFTER_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(6),
  // data-retention: days each kind of row is kept (docs/jobs.md has the table).
  RETENTION_WEBHOOK_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_FAILED_WEBHOOK_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_UNAPPLIED_STATUS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_HEALTH_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_JOB_RUN_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // At least 7: alert emails and activities double as "once per incident" keys, and a token-expiring
  // alert is re-asserted daily for the 7 days before the expiry.
  RETENTION_ACTIVITY_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  RETENTION_EMAIL_DAYS: z.coerce.number().int().min(7).max(3650).default(180),
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  // Settled sends (their Idempotency-Keys go with them). The conversation keeps the message itself.
  RETENTION_OUTBOUND_DAYS: z.coerce.number().int().min(1).max(3650).default(90),

  // Meta
  WHATSAPP_APP_SECRET: optional,
  WHATSAPP_VERIFY_TOKEN: optional,
  META_APP_ID: optional,
  GRAPH_API_BASE_URL: z.url().default("https://graph.facebook.com"),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/, "like v25.0").default("v25.0"),
  GRAPH_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

  // Where a request comes from (sign-in and sign-up limits). Vercel sets VERCEL=1 and its own client-address
  // header; elsewhere, the number of reverse proxies of yours in front of WhaTrack, each appending to
  // X-Forwarded-For (0: clients connect to `next start` directly and the socket address counts).
  VERCEL: optional,
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),

  // Secrets
  CRON_SECRET: optional,
  // Protects /api/metrics (Prometheus): sent as Authorization: Bearer. Unset: the endpoint refuses every scrape.
  METRICS_TOKEN: optional,
  TOKEN_ENCRYPTION_KEY: optional,
  SESSION_SECRET: optional,

  // Email
  SMTP_URL: optionalUrl,
  EMAIL_FROM: optional,
  APP_URL: optionalUrl,

  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    // Names and messages only: never echo the values, they may be secrets.
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  const env = parsed.data;
  if (env.UPSTASH_REDIS_REST_URL && !env.UPSTASH_REDIS_REST_TOKEN) {
    throw new Error("Invalid environment configuration:\n  UPSTASH_REDIS_REST_TOKEN is required with UPSTASH_REDIS_REST_URL");
  }
  if (env.KV_REST_API_URL && !env.KV_REST_API_TOKEN) {
    throw new Error("Invalid environment configuration:\n  KV_REST_API_TOKEN is required with KV_REST_API_URL");
  }
  return env;
}

export const env: Env = parseEnv(process.env);

export const isEmbeddedDatabase = !env.DATABASE_URL;
