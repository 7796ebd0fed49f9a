import { SignJWT, jwtVerify } from "jose";
import { signingKey } from "@/lib/auth/signing-key";

// Dashboard sessions: an HS256 JWT (algorithm pinned, issuer/audience checked, expiry required) in an
// httpOnly, SameSite=Lax cookie, Secure in production. It names the user, the workspace in use and its
// server-side Session row (`jti`); the row and the membership are checked on every request
// (lib/auth/resolve-session.ts), so a signed-out session or a removed member loses access at once.
// Tokens are issued by lib/auth/start-session.ts, which writes the row first.

export const SESSION_COOKIE = "whatrack_session";
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = "whatrack";
const AUDIENCE = "whatrack:session";

export type SessionClaims = { userId: string; workspaceId: string; sessionId: string };

export async function signSessionToken(claims: SessionClaims, expiresAt: Date): Promise<string> {
  return new SignJWT({ ws: claims.workspaceId })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.userId)
    .setJti(claims.sessionId)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(signingKey());
}

/** The session's claims, or null for a missing, forged or expired token (or one from before sessions had rows). */
export async function readSessionToken(token: string | undefined | null): Promise<SessionClaims | null> {
  if (!token) return null;
  const key = signingKey();
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ["exp", "sub", "jti"] });
    return typeof payload.ws === "string" && payload.sub && payload.jti ? { userId: payload.sub, workspaceId: payload.ws, sessionId: payload.jti } : null;
  } catch {
    return null;
  }
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_SECONDS}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}
