import { z } from "zod";

// Shapes of the API key routes (also their OpenAPI description and what the settings page parses).

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100).describe("What the key is for, e.g. \"CRM integration\""),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("The key's first characters, to tell keys apart; the key itself is never shown again"),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable().describe("Set once revoked: the key no longer authenticates"),
});

export const createdApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  key: z.string().describe("The key, shown this once only: WhaTrack keeps only its SHA-256"),
  createdAt: z.iso.datetime(),
});

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
export type ApiKeyView = z.infer<typeof apiKeySchema>;
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
