import { z } from "zod";

// PROVISIONAL: the payloads of the send and template routes, as issue 9's contract and helper/send's
// lib/outbound/outbound-schemas.ts (same names) give them, until those branches are merged here; then
// the components parse with the routes' own schemas and this file goes.

const isoDate = z.iso.datetime();

export const queuedSchema = z.object({ id: z.string(), status: z.literal("QUEUED") });

export const outboundErrorSchema = z.object({
  kind: z.string().nullable(),
  message: z.string().nullable(),
  code: z.number().int().nullable(),
  title: z.string().nullable(),
  details: z.string().nullable(),
});

export const outboundMessageSchema = z.object({
  id: z.string(),
  status: z.enum(["QUEUED", "SENDING", "SENT", "DELIVERED", "READ", "FAILED", "DEAD"]),
  connectionId: z.string(),
  to: z.string(),
  type: z.string(),
  wamid: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: isoDate.nullable(),
  createdAt: isoDate,
  sentAt: isoDate.nullable(),
  error: outboundErrorSchema.nullable(),
});
export type OutboundMessageView = z.infer<typeof outboundMessageSchema>;

export const outboundListSchema = z.object({ data: z.array(outboundMessageSchema), nextCursor: z.string().nullable() });
export const retryAllResultSchema = z.object({ retried: z.number().int() });

export const templateViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  components: z.unknown(),
});
export const templateListSchema = z.object({ data: z.array(templateViewSchema) });
export type TemplateView = z.infer<typeof templateViewSchema>;
