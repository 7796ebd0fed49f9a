import { z } from "zod";
import { cursorParam, limitParam } from "@/lib/pagination/keyset-cursor";

// Query and response shapes of the email outbox route (also the source of its OpenAPI description).

export const listOutboxQuery = z.object({ cursor: cursorParam.optional(), limit: limitParam(100, 30) });

export const outboxEmailSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string().describe("The plain-text body"),
  status: z.enum(["OUTBOX", "FAILED"]).describe("OUTBOX: kept because SMTP is not configured; FAILED: the SMTP server refused it"),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const outboxListSchema = z.object({ data: z.array(outboxEmailSchema).describe("Newest first"), nextCursor: z.string().nullable() });

export type ListOutboxQuery = z.infer<typeof listOutboxQuery>;
export type OutboxList = z.infer<typeof outboxListSchema>;
