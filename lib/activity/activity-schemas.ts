import { z } from "zod";
import { cursorParam, limitParam } from "@/lib/pagination/keyset-cursor";

// Query and response shapes of the activity feed (also the source of its OpenAPI description).

export const listActivityQuery = z.object({
  after: cursorParam.optional().describe("A latestCursor: only events newer than it (incremental fetches; may repeat the last few seconds' events — dedupe by id)"),
  cursor: cursorParam.optional().describe("A nextCursor: the page of older events"),
  limit: limitParam(100, 50),
});

export const activityEventSchema = z.object({
  id: z.string(),
  type: z.string().describe("e.g. message.received, message.failed, connection.critical, webhook.dead"),
  summary: z.string(),
  connectionId: z.string().nullable(),
  conversationId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const activityListSchema = z.object({
  data: z.array(activityEventSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as cursor for older events; null when there are none (or with after)"),
  latestCursor: z.string().nullable().describe("Pass as after to fetch only what is newer than this response"),
  hasNewer: z.boolean().describe("With after: more newer events remain than fitted in this page; call again"),
});

export type ListActivityQuery = z.infer<typeof listActivityQuery>;
export type ActivityEventView = z.infer<typeof activityEventSchema>;
export type ActivityList = z.infer<typeof activityListSchema>;
