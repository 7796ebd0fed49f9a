import { z } from "zod";

// Request and response shapes of the connections API (also the source of its OpenAPI description).
// Responses carry instants as ISO 8601 strings. The access token goes in once, on connect, and never
// comes back: responses name at most its last four characters.

// ───────────────────────────────────────────────────────────────────────────────────────── requests

const graphId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{5,25}$/, `${what} is the numeric id shown in Meta's WhatsApp Manager`);

export const connectNumberSchema = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  wabaId: graphId("WhatsApp Business Account id"),
  phoneNumberId: graphId("Phone number id"),
  // A system-user access token: long, no spaces. Its value never appears in an error message.
  accessToken: z
    .string()
    .trim()
    .min(20, "the access token looks too short")
    .max(2048, "the access token looks too long")
    .regex(/^[A-Za-z0-9._|~+/=-]+$/, "the access token contains characters a Meta token never has"),
});

/** Message types an auto-reply can answer (text and images are handled by people). */
export const AUTO_REPLY_TYPES = [
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "button",
  "reaction",
  "order",
  "unsupported",
  "image",
  "text",
] as const;

const unique = <T>(items: T[]) => [...new Set(items)];

export const updateConnectionSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(80).nullable().optional(),
    autoReplyEnabled: z.boolean().optional(),
    /** null = the product's default text. */
    autoReplyText: z.string().trim().min(1).max(4096).nullable().optional(),
    autoReplyTypes: z.array(z.enum(AUTO_REPLY_TYPES)).max(AUTO_REPLY_TYPES.length).transform(unique).optional(),
    alertEmails: z
      .array(z.email().max(254).transform((e) => e.trim().toLowerCase()))
      .max(10, "at most 10 alert recipients")
      .transform(unique)
      .optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to update");

export const healthTimelineQuerySchema = z.object({
  days: z.enum(["7", "30"]).default("7").transform((d) => (d === "7" ? 7 : 30)),
});

export const connectionIdParamsSchema = z.object({ id: z.string().min(1).max(64) });

export type ConnectNumberInput = z.output<typeof connectNumberSchema>;
export type UpdateConnectionSettingsInput = z.output<typeof updateConnectionSettingsSchema>;
export type HealthTimelineDays = z.output<typeof healthTimelineQuerySchema>["days"];

// ──────────────────────────────────────────────────────────────────────────────────────── responses

const instant = z.iso.datetime();
const fraction = z.number().min(0).max(1);

/** The owner-facing verdict: Healthy / Warning / Critical / invalid token, or not checked yet. */
export const healthLevelSchema = z.enum(["HEALTHY", "WARNING", "CRITICAL", "INVALID_TOKEN", "UNKNOWN", "REMOVED"]);

export const connectionSettingsSchema = z.object({
  autoReplyEnabled: z.boolean(),
  autoReplyText: z.string().nullable(),
  autoReplyTypes: z.array(z.string()),
  alertEmails: z.array(z.string()),
});

export const connectionSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  wabaId: z.string(),
  phoneNumberId: z.string(),
  displayPhoneNumber: z.string().nullable(),
  verifiedName: z.string().nullable(),
  status: z.enum(["ACTIVE", "DISCONNECTED", "INVALID", "REMOVED"]),
  health: z.object({
    level: healthLevelSchema,
    reason: z.string().nullable(),
    lastCheckAt: instant.nullable(),
    offlineSince: instant.nullable(),
  }),
  /** null once the number is disconnected (the token is erased). */
  token: z
    .object({
      last4: z.string().max(4),
      valid: z.boolean(),
      invalidReason: z.string().nullable(),
      expiresAt: instant.nullable(),
      lastValidatedAt: instant.nullable(),
    })
    .nullable(),
  qualityRating: z.string().nullable(),
  numberStatus: z.string().nullable(),
  messagingLimit: z.string().nullable(),
  webhook: z.object({ subscribed: z.boolean().nullable(), checkedAt: instant.nullable() }),
  /** Online share over each window, of the time observed in it; null when nothing is known yet. */
  uptime: z.object({ "24h": fraction.nullable(), "7d": fraction.nullable(), "30d": fraction.nullable() }),
  /** How much of each window was observed (a number connected an hour ago: 3600 in every window). */
  uptimeObservedSeconds: z.object({ "24h": z.number().min(0), "7d": z.number().min(0), "30d": z.number().min(0) }),
  settings: connectionSettingsSchema,
  createdAt: instant,
});

export const healthCheckSchema = z.object({
  id: z.string(),
  kind: z.string(),
  result: z.enum(["UNKNOWN", "HEALTHY", "WARNING", "CRITICAL", "ERROR"]),
  latencyMs: z.number().int().nullable(),
  errorCode: z.number().int().nullable(),
  /** Why the check came out as it did: Meta's error, or the monitor's finding. */
  reason: z.string().nullable(),
  checkedAt: instant,
});

export const healthBucketSchema = z.object({
  start: instant,
  end: instant,
  uptime: fraction.nullable(),
  healthy: z.number().int(),
  warning: z.number().int(),
  critical: z.number().int(),
  error: z.number().int(),
  unknown: z.number().int(),
  avgLatencyMs: z.number().int().nullable(),
});

export const healthTimelineSchema = z.object({
  connectionId: z.string(),
  days: z.union([z.literal(7), z.literal(30)]),
  from: instant,
  to: instant,
  bucketHours: z.number().int(),
  uptime: fraction.nullable(),
  buckets: z.array(healthBucketSchema),
  transitions: z.array(z.object({ at: instant, online: z.boolean(), reason: z.string().nullable() })),
  recentChecks: z.array(healthCheckSchema),
});

export const checkNowResultSchema = z.object({
  connection: connectionSchema,
  /** The checks this run recorded. */
  checks: z.array(healthCheckSchema),
});

export const disconnectResultSchema = z.object({
  connection: connectionSchema,
  webhook: z.object({
    outcome: z.enum(["unsubscribed", "failed", "skipped"]),
    message: z.string().nullable(),
  }),
});

export type HealthLevel = z.infer<typeof healthLevelSchema>;
export type ConnectionView = z.infer<typeof connectionSchema>;
export type HealthCheckView = z.infer<typeof healthCheckSchema>;
export type HealthBucket = z.infer<typeof healthBucketSchema>;
export type HealthTimeline = z.infer<typeof healthTimelineSchema>;
export type CheckNowResult = z.infer<typeof checkNowResultSchema>;
export type DisconnectResult = z.infer<typeof disconnectResultSchema>;
