import { prisma } from "@/lib/db/client";
import { SESSION_TTL_SECONDS, signSessionToken } from "@/lib/auth/session-token";
import { clientIp } from "@/lib/http/client-ip";

/** What the sessions list shows of a device: its browser and address as they signed in. */
export type SessionDevice = { userAgent: string | null; ip: string | null };

export function deviceOf(request: Request): SessionDevice {
  const ip = clientIp(request);
  return { userAgent: request.headers.get("user-agent")?.slice(0, 300) || null, ip: ip === "unknown" ? null : ip.slice(0, 64) };
}

/**
 * Signs a user in on one device: records a Session row, then returns the cookie's token naming it.
 * The user's expired rows go at the same time, so the table holds at most a week of sign-ins per user.
 */
export async function startSession(claims: { userId: string; workspaceId: string }, device: SessionDevice = { userAgent: null, ip: null }): Promise<string> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await prisma.session.deleteMany({ where: { userId: claims.userId, expiresAt: { lt: now } } });
  const row = await prisma.session.create({ data: { userId: claims.userId, expiresAt, userAgent: device.userAgent, ip: device.ip }, select: { id: true } });
  return signSessionToken({ ...claims, sessionId: row.id }, expiresAt);
}
