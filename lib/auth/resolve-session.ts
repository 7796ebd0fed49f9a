import { prisma } from "@/lib/db/client";
import { SESSION_COOKIE, readSessionToken } from "@/lib/auth/session-token";

export type Session = { userId: string; workspaceId: string; email: string; name: string | null; role: "OWNER" | "MEMBER"; isAdmin: boolean; workspaceName: string };

/** From a session cookie's value to a live session: the token must verify and the membership still exist. */
export async function resolveSession(token: string | undefined | null): Promise<Session | null> {
  const claims = await readSessionToken(token);
  if (!claims) return null;
  const membership = await prisma.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: claims.workspaceId, userId: claims.userId } },
    include: { user: { select: { email: true, name: true, isAdmin: true } }, workspace: { select: { name: true } } },
  });
  if (!membership) return null;
  return {
    userId: claims.userId,
    workspaceId: claims.workspaceId,
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
