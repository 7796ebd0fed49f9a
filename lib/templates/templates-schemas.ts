import { z } from "zod";
import { limitParam } from "@/lib/pagination/keyset-cursor";

// Query and response shapes of the template routes (also the source of their OpenAPI description).

// Templates are listed by name (what a picker wants), so the cursor is a (name, id) position.
type NamePosition = { name: string; id: string };
const namePosition = z.object({ name: z.string().min(1).max(512), id: z.string().min(1).max(64) });

export function encodeNameCursor(position: NamePosition): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

const nameCursorParam = z
  .string()
  .max(800)
  .transform((raw, ctx) => {
    try {
      const parsed = namePosition.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
      if (parsed.success) return parsed.data;
    } catch {
      // falls through to the issue below
    }
    ctx.addIssue({ code: "custom", message: "not a cursor this API returned" });
    return z.NEVER;
  })
  .describe("A nextCursor from a previous response");

export const listTemplatesQuery = z.object({
  connectionId: z.string().min(1).max(64).optional().describe("Only the templates of this number's WhatsApp Business Account"),
  status: z
    .string()
    .regex(/^[A-Za-z_]{1,40}$/)
    .transform((s) => s.toUpperCase())
    .optional()
    .describe("APPROVED, PENDING, REJECTED, PAUSED, DISABLED, DELETED (gone from Meta), …"),
  cursor: nameCursorParam.optional(),
  limit: limitParam(200, 100),
});

export const templateSchema = z.object({
  id: z.string(),
  wabaId: z.string(),
  metaTemplateId: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string().nullable().describe("MARKETING, UTILITY or AUTHENTICATION"),
  status: z.string().describe("Meta's status; DELETED when a sync no longer finds it"),
  quality: z.string().nullable().describe("GREEN, YELLOW, RED or UNKNOWN"),
  reason: z.string().nullable().describe("Why Meta rejected, paused or disabled it"),
  components: z.unknown().describe("Meta's components (header, body, footer, buttons) with their {{n}} parameters"),
  syncedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const templateListSchema = z.object({
  data: z.array(templateSchema).describe("By name, then language"),
  nextCursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last"),
});

export const templateSyncResultSchema = z.object({
  wabas: z.number().int().describe("WhatsApp Business Accounts synced"),
  failedWabas: z.number().int().describe("Accounts whose templates Graph did not give (token, permission, outage); their rows are left as they were"),
  templates: z.number().int().describe("Templates Graph listed"),
  created: z.number().int(),
  updated: z.number().int().describe("Existing rows rewritten from Graph"),
  deleted: z.number().int().describe("Rows marked DELETED: Graph no longer lists them"),
});

export type ListTemplatesQuery = z.infer<typeof listTemplatesQuery>;
export type TemplateView = z.infer<typeof templateSchema>;
export type TemplateList = z.infer<typeof templateListSchema>;
export type TemplateSyncResult = z.infer<typeof templateSyncResultSchema>;
