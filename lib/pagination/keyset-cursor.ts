import { z } from "zod";

// Opaque keyset cursors: the position of a row in a (time, id) ordering, base64url-encoded JSON.
// Clients pass them back unchanged; a tampered or foreign value fails validation (422), never a 500.

export type KeysetPosition = { at: Date; id: string };

const positionSchema = z.object({ at: z.iso.datetime(), id: z.string().min(1).max(64) });

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id })).toString("base64url");
}

export function decodeCursor(raw: string): KeysetPosition | null {
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.at), id: parsed.data.id } : null;
  } catch {
    return null;
  }
}

/** A query parameter holding a cursor: decoded while parsing, so handlers get a position. */
export const cursorParam = z
  .string()
  .max(200)
  .transform((raw, ctx) => {
    const position = decodeCursor(raw);
    if (!position) {
      ctx.addIssue({ code: "custom", message: "not a cursor this API returned" });
      return z.NEVER;
    }
    return position;
  })
  .describe("An opaque cursor from a previous response");

export const limitParam = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback).describe("Page size");

/** Search text for Prisma's `contains`, which passes LIKE's wildcards through: `%`, `_` and backslashes are taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
