import { z } from "zod";

// Zod schemas for Meta's webhook envelope. Strict where processing depends on a field (ids,
// timestamps, arrays), loose elsewhere: the full message object is kept as the message's content,
// so fields Meta adds later are stored, not dropped.

const epochSeconds = z.string().regex(/^\d{1,12}$/, "epoch seconds");

const errorItem = z
  .object({
    code: z.number().int(),
    title: z.string().optional(),
    message: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).loose().optional(),
  })
  .loose();

export const webhookMessageSchema = z
  .object({
    id: z.string().min(1),
    from: z.string().min(1),
    timestamp: epochSeconds,
    type: z.string().min(1),
    errors: z.array(errorItem).optional(),
  })
  .loose();

export const webhookStatusSchema = z
  .object({
    id: z.string().min(1),
    status: z.string().min(1),
    timestamp: epochSeconds,
    recipient_id: z.string().optional(),
    errors: z.array(errorItem).optional(),
  })
  .loose();

const contactSchema = z
  .object({ wa_id: z.string().min(1), profile: z.object({ name: z.string().optional() }).loose().optional() })
  .loose();

export const messagesValueSchema = z
  .object({
    messaging_product: z.literal("whatsapp").optional(),
    metadata: z.object({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }).loose(),
    contacts: z.array(contactSchema).optional(),
    messages: z.array(webhookMessageSchema).optional(),
    statuses: z.array(webhookStatusSchema).optional(),
    errors: z.array(errorItem).optional(),
  })
  .loose();

// Template ids arrive as JSON numbers in webhooks and as strings from Graph: both become strings.
const templateId = z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative().transform(String)]);

/** `message_template_status_update`: APPROVED, REJECTED, PAUSED, DISABLED, FLAGGED, REINSTATED, … */
export const templateStatusValueSchema = z
  .object({
    event: z.string().min(1),
    message_template_id: templateId,
    message_template_name: z.string().min(1),
    message_template_language: z.string().min(1),
    message_template_category: z.string().optional(),
    reason: z.string().nullable().optional(),
  })
  .loose();

/** `message_template_quality_update`: GREEN, YELLOW, RED or UNKNOWN. */
export const templateQualityValueSchema = z
  .object({
    new_quality_score: z.string().min(1),
    previous_quality_score: z.string().optional(),
    message_template_id: templateId,
    message_template_name: z.string().min(1),
    message_template_language: z.string().min(1),
  })
  .loose();

const changeSchema = z.object({ field: z.string().min(1), value: z.unknown() }).loose();

export const webhookEnvelopeSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(z.object({ id: z.string().min(1), changes: z.array(changeSchema) }).loose()),
});

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;
export type WebhookError = z.infer<typeof errorItem>;
export type MessagesValue = z.infer<typeof messagesValueSchema>;
export type WebhookMessage = z.infer<typeof webhookMessageSchema>;
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;
export type WebhookContact = z.infer<typeof contactSchema>;
export type TemplateStatusValue = z.infer<typeof templateStatusValueSchema>;
export type TemplateQualityValue = z.infer<typeof templateQualityValueSchema>;
