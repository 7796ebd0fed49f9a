import { z } from "zod";

// PROVISIONAL: the payloads of GET /api/v1/templates and POST /api/v1/templates/sync as issue 9's contract gives it, until
// helper/templates is merged here; then the picker parses with lib/templates' own schema and this goes.

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
export const templateSyncResultSchema = z.object({ templates: z.number().int(), failedWabas: z.number().int() });
