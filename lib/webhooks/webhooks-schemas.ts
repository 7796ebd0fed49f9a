import { z } from "zod";
import { cursorParam, limitParam } from "@/lib/pagination/keyset-cursor";

// Query, body and response shapes of the webhook-event routes (also the source of their OpenAPI description).

const stateParam = z.enum(["failed", "dead"]);

export const listWebhookEventsQuery = z.object({
  state: stateParam.optional().describe("Only failed (will be retried) or dead (given up) events; both when absent"),
  cursor: cursorParam.optional(),
  limit: limitParam(100, 50),
});

export const replayAllBody = z.object({
  state: stateParam.optional().describe("Replay only failed or only dead events; both when absent"),
});

export const webhookEventIdParams = z.object({ id: z.string().min(1).max(64) });

const isoDate = z.iso.datetime();

export const webhookEventSchema = z.object({
  id: z.string(),
  state: z.enum(["FAILED", "DEAD"]),
  errorKind: z.string().nullable().describe("MALFORMED, UNKNOWN_NUMBER or PROCESSING"),
  lastError: z.string().nullable(),
  attempts: z.number().int(),
  deliveries: z.number().int().describe("How many times Meta delivered these exact bytes"),
  receivedAt: isoDate,
  lastReceivedAt: isoDate,
  nextAttemptAt: isoDate.nullable().describe("When the retry job takes it again; null = only a replay will"),
  deadAt: isoDate.nullable(),
  phoneNumberId: z.string().nullable(),
});

export const webhookEventListSchema = z.object({
  data: z.array(webhookEventSchema).describe("Latest received first"),
  nextCursor: z.string().nullable(),
  counts: z.object({ failed: z.number().int(), dead: z.number().int() }),
});

export const replayResultSchema = z.object({
  id: z.string(),
  result: z.enum(["processed", "failed", "dead", "unroutable", "malformed", "released", "not_claimed"]),
  state: z.string().describe("The event's state after the replay"),
});

export const replayAllResultSchema = z.object({
  replayed: z.number().int(),
  processed: z.number().int(),
  stillFailing: z.number().int(),
  results: z.array(replayResultSchema.or(z.object({ id: z.string(), result: z.literal("skipped"), state: z.string() }))),
  remaining: z.number().int().describe("Failed and dead events left after this call (including those that failed again)"),
  hasMore: z.boolean().describe("More events were waiting than one call replays"),
});

export type ListWebhookEventsQuery = z.infer<typeof listWebhookEventsQuery>;
export type WebhookEventView = z.infer<typeof webhookEventSchema>;
export type WebhookEventList = z.infer<typeof webhookEventListSchema>;
export type ReplayAllResult = z.infer<typeof replayAllResultSchema>;
