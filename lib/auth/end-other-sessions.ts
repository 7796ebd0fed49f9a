import type { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";

type Db = Prisma.TransactionClient | typeof prisma;

/**
 * Revokes every live session of a user — "sign out everywhere" — or all but `keep` (after a password
 * change, the device that made it stays signed in). Returns how many sessions ended.
 */
export async function endOtherSessions(userId: string, options: { keep?: string; db?: Db } = {}): Promise<number> {
  const db = options.db ?? prisma;
  const { count } = await db.session.updateMany({
    where: { userId, revokedAt: null, ...(options.keep ? { id: { not: options.keep } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}
