import { prisma } from "@/lib/db/client";
import { SESSION_COOKIE, readSessionToken } from "@/lib/auth/session-token";

export type Session = {
  userId: string;
  workspaceId: string;
  sessionId: string;
  email: string;
  name: string | null;
  role: "OWNER" | "MEMBER";
  isAdmin: boolean;
  workspaceName: string;
};

// lastSeenAt is for the sessions list ("active 3 minutes ago"): refreshing it at most this often keeps
// a write off almost every request.
const TOUCH_AFTER_MS = 5 * 60 * 1000;

/**
 * From a session cookie's value to a live session: the token must verify, its Session row must be
 * neither revoked nor expired, and the membership must still exist. Both rows are read on every
 * request (by primary key and unique key, in parallel), with no cache: a revocation applies to the
 * very next request.
 */
export async function resolveSession(token: string | undefined | null): Promise<Session | null> {
  const claims = await readSessionToken(token);
  if (!claims) return null;
  const [row, membership] = await Promise.all([
    prisma.session.findUnique({ where: { id: claims.sessionId }, select: { userId: true, expiresAt: true, revokedAt: true, lastSeenAt: true } }),
    prisma.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: claims.workspaceId, userId: claims.userId } },
      include: { user: { select: { email: true, name: true, isAdmin: true } }, workspace: { select: { name: true } } },
    }),
  ]);
  const now = new Date();
  if (!row || row.userId !== claims.userId || row.revokedAt || row.expiresAt <= now || !membership) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await prisma.session.updateMany({ where: { id: claims.sessionId, lastSeenAt: row.lastSeenAt }, data: { lastSeenAt: now } });
  }
  return {
    userId: claims.userId,
    workspaceId: claims.workspaceId,
    sessionId: claims.sessionId,
    email: membership.user.email,
    name: membership.user.name,
    role: membership.role,
    isAdmin: membership.user.isAdmin,
    workspaceName: membership.workspace.name,
  };
}

export function sessionTokenFromCookieHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=");
  }
  return undefined;
}
