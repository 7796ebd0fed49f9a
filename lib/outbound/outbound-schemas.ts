import { z } from "zod";
import { cursorParam, limitParam } from "@/lib/pagination/keyset-cursor";

// Body, query and response shapes of the /api/v1/messages routes (also the source of their OpenAPI
// description). The message objects follow Graph's own (developers.facebook.com, "messages"), so an
// integration written against Meta's API sends the same JSON here.

// Digits, optionally with a leading + (Meta's `to`); stored and sent as digits.
const recipient = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{6,20}$/, "a phone number in international format, digits only (optionally with a leading +)")
  .transform((to) => to.replace(/^\+/, ""));

const connectionId = z.string().min(1).max(64);
const context = z.object({ message_id: z.string().min(1).max(256).describe("The wamid to reply to (quoted in WhatsApp)") }).strict();
const caption = z.string().min(1).max(1024);

// A media object: an uploaded media id (POST /api/v1/media) or a public https link, not both.
const mediaSource = { id: z.string().min(1).max(128).optional(), link: z.url({ protocol: /^https?$/ }).max(2048).optional() };
const oneSource = (m: { id?: string; link?: string }) => (m.id === undefined) !== (m.link === undefined);
const sourceMessage = { message: "give exactly one of id (an uploaded media id) or link" };

const base = { connectionId, to: recipient, context: context.optional() };

export const sendMessageBody = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("text"), text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).strict() }).strict(),
  z
    .object({
      ...base,
      type: z.literal("template"),
      template: z
        .object({
          name: z.string().min(1).max(512),
          language: z.union([z.string().min(2).max(20), z.object({ code: z.string().min(2).max(20) }).strict()]).describe("A language code such as en_US, or Graph's { code }"),
          components: z.array(z.looseObject({ type: z.string().min(1) })).max(20).optional().describe("Graph's template components with their parameters"),
        })
        .strict(),
    })
    .strict(),
  z.object({ ...base, type: z.literal("image"), image: z.object({ ...mediaSource, caption: caption.optional() }).strict().refine(oneSource, sourceMessage) }).strict(),
  z.object({ ...base, type: z.literal("video"), video: z.object({ ...mediaSource, caption: caption.optional() }).strict().refine(oneSource, sourceMessage) }).strict(),
  z.object({ ...base, type: z.literal("audio"), audio: z.object(mediaSource).strict().refine(oneSource, sourceMessage) }).strict(),
  z
    .object({ ...base, type: z.literal("document"), document: z.object({ ...mediaSource, caption: caption.optional(), filename: z.string().min(1).max(255).optional() }).strict().refine(oneSource, sourceMessage) })
    .strict(),
]);

export type SendMessageBody = z.infer<typeof sendMessageBody>;

/** The Idempotency-Key header: any printable text a client chooses, unique per message it means. */
export const idempotencyKeyHeader = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

export const OUTBOUND_STATES = ["QUEUED", "SENDING", "SENT", "FAILED", "DEAD"] as const;
export const OUTBOUND_STATUSES = ["QUEUED", "SENDING", "SENT", "DELIVERED", "READ", "FAILED", "DEAD"] as const;

export const queuedSchema = z.object({ id: z.string(), status: z.literal("QUEUED") });

const isoDate = z.iso.datetime();

export const outboundErrorSchema = z
  .object({
    kind: z.string().nullable().describe("TRANSIENT, THROTTLED, AUTH, WINDOW_CLOSED, PERMANENT, RESTRICTED, LIMITER_DOWN, BREAKER_OPEN, …"),
    message: z.string().nullable(),
    code: z.number().int().nullable().describe("Meta's error code"),
    title: z.string().nullable(),
    details: z.string().nullable(),
  })
  .describe("Why the send failed or waits (the last attempt's), or Meta's reason from a failed status webhook");

export const outboundMessageSchema = z.object({
  id: z.string(),
  status: z.enum(OUTBOUND_STATUSES).describe("QUEUED → SENDING → SENT → DELIVERED → READ, or FAILED / DEAD"),
  connectionId: z.string(),
  to: z.string(),
  type: z.string(),
  wamid: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: isoDate.nullable().describe("When the drain takes it (again); null once nothing will automatically"),
  createdAt: isoDate,
  sentAt: isoDate.nullable(),
  error: outboundErrorSchema.nullable(),
});

export type OutboundMessageView = z.infer<typeof outboundMessageSchema>;

export const outboundIdParams = z.object({ id: z.string().min(1).max(64) });

export const listOutboundQuery = z.object({
  state: z.enum(OUTBOUND_STATES).optional().describe("Only sends in this state (DEAD and FAILED: the ones to retry)"),
  connectionId: connectionId.optional(),
  cursor: cursorParam.optional(),
  limit: limitParam(100, 50),
});

export type ListOutboundQuery = z.infer<typeof listOutboundQuery>;

export const outboundListSchema = z.object({ data: z.array(outboundMessageSchema).describe("Newest first"), nextCursor: z.string().nullable() });
export type OutboundList = z.infer<typeof outboundListSchema>;

export const retryAllBody = z.object({
  state: z.enum(["FAILED", "DEAD"]).optional().describe("Retry only failed or only dead sends; both when absent"),
  connectionId: connectionId.optional(),
});

export const retryAllResultSchema = z.object({ retried: z.number().int().describe("Sends put back in the queue") });
