import { z } from "zod";
import { cursorParam, limitParam } from "@/lib/pagination/keyset-cursor";

// Query and response shapes of the conversation routes (also the source of their OpenAPI description).

export const listConversationsQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((q) => (q ? q : undefined))
    .describe("Search contact name, number and message text"),
  cursor: cursorParam.optional(),
  limit: limitParam(100, 30),
});

export const listMessagesQuery = z.object({
  cursor: cursorParam.optional().describe("From a previous page's nextCursor: the page of older messages"),
  limit: limitParam(200, 50),
});

export const conversationIdParams = z.object({ id: z.string().min(1).max(64) });

const isoDate = z.iso.datetime();

export const conversationWindowSchema = z
  .object({
    open: z.boolean(),
    expiresAt: isoDate.nullable(),
    secondsLeft: z.number().int().min(0),
  })
  .describe("The 24-hour customer-service window, opened by the customer's last message");

export const conversationSummarySchema = z.object({
  id: z.string(),
  contact: z.object({ id: z.string(), waId: z.string(), name: z.string().nullable() }),
  connection: z.object({ id: z.string(), name: z.string().nullable(), displayPhoneNumber: z.string().nullable() }),
  lastMessageAt: isoDate.nullable(),
  lastMessageText: z.string().nullable(),
  messageCount: z.number().int(),
  window: conversationWindowSchema,
});

export const conversationListSchema = z.object({ data: z.array(conversationSummarySchema), nextCursor: z.string().nullable() });

export const conversationDetailSchema = conversationSummarySchema.extend({
  lastInboundAt: isoDate.nullable(),
  createdAt: isoDate,
});

export const messageSchema = z.object({
  id: z.string(),
  wamid: z.string(),
  direction: z.enum(["INBOUND", "OUTBOUND"]),
  type: z.string(),
  text: z.string().nullable(),
  status: z.enum(["RECEIVED", "PENDING", "SENT", "DELIVERED", "READ", "PLAYED", "FAILED"]),
  timestamp: isoDate,
  sentAt: isoDate.nullable(),
  deliveredAt: isoDate.nullable(),
  readAt: isoDate.nullable(),
  failedAt: isoDate.nullable(),
  error: z.object({ code: z.number().int().nullable(), title: z.string().nullable(), details: z.string().nullable() }).nullable().describe("Meta's reason, when a status reported one"),
  autoReply: z.boolean(),
});

export const messageListSchema = z.object({
  data: z.array(messageSchema).describe("Oldest first"),
  nextCursor: z.string().nullable().describe("Pass as cursor for the page of older messages; null at the start of the conversation"),
});

export type ListConversationsQuery = z.infer<typeof listConversationsQuery>;
export type ListMessagesQuery = z.infer<typeof listMessagesQuery>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
export type ConversationList = z.infer<typeof conversationListSchema>;
export type MessageView = z.infer<typeof messageSchema>;
export type MessageList = z.infer<typeof messageListSchema>;
