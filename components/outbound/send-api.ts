import { z } from "zod";

// PROVISIONAL: the payloads of the send and template routes as issue 9's contract states them, until
// helper/send (lib/outbound/) and helper/templates (lib/templates/) land; then the components parse
// with those routes' own schemas and this file goes.

export const sendStatusSchema = z.enum(["QUEUED", "SENDING", "SENT", "DELIVERED", "READ", "FAILED", "DEAD"]);
const sendErrorSchema = z.object({ code: z.number().int().nullable(), title: z.string().nullable(), details: z.string().nullable() }).partial().nullable();

export const sendAcceptedSchema = z.object({ data: z.object({ id: z.string(), status: sendStatusSchema }) });

export const sendViewSchema = z.object({
  id: z.string(),
  status: sendStatusSchema,
  wamid: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  error: sendErrorSchema,
});
export const sendDetailSchema = z.object({ data: sendViewSchema });
export const listedSendSchema = sendViewSchema.extend({
  to: z.string().optional(),
  type: z.string().optional(),
  conversationId: z.string().nullable().optional(),
  createdAt: z.string().optional(),
});
export const sendListSchema = z.object({ data: z.array(listedSendSchema), nextCursor: z.string().nullable().optional() });

export const templateViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  components: z.unknown(),
});
export const templateListSchema = z.object({ data: z.array(templateViewSchema) });

export type SendView = z.infer<typeof sendViewSchema>;
export type ListedSend = z.infer<typeof listedSendSchema>;
export type TemplateView = z.infer<typeof templateViewSchema>;
