import { prisma } from "@/lib/db/client";
import { readSessionToken } from "@/lib/auth/session-token";

/** Sign-out: revokes the Session row a (genuine) cookie names. A missing, forged or dead token changes nothing. */
export async function endSession(token: string | undefined | null): Promise<void> {
  const claims = await readSessionToken(token);
  if (!claims) return;
  await prisma.session.updateMany({ where: { id: claims.sessionId, userId: claims.userId, revokedAt: null }, data: { revokedAt: new Date() } });
}
