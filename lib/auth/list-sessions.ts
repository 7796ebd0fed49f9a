import { z } from "zod";
import { prisma } from "@/lib/db/client";

/** One signed-in device, as GET /api/v1/auth/sessions answers it (also its OpenAPI description). */
export const sessionSummarySchema = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});

export type SessionSummary = { id: string; createdAt: Date; lastSeenAt: Date; expiresAt: Date; userAgent: string | null; ip: string | null; current: boolean };

/** The user's live sessions (one per signed-in device), most recently active first. */
export async function listSessions(userId: string, currentSessionId: string): Promise<SessionSummary[]> {
  const rows = await prisma.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ip: true },
    orderBy: { lastSeenAt: "desc" },
    take: 100,
  });
  return rows.map((row) => ({ ...row, current: row.id === currentSessionId }));
}
