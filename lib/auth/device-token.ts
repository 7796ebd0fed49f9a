import { randomUUID } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import { signingKey } from "@/lib/auth/signing-key";

// "This browser has signed in to this account before": a signed cookie set on every successful sign-in
// (OWASP's device cookies). Failed sign-ins spread over many addresses can close an account to new
// browsers for a while (lib/auth/sign-in.ts); a browser holding this cookie keeps its own, separate
// limit, so nobody else's failures lock the owner out. HS256 JWT like sessions, with its own audience;
// it names the account by its rate-limit key, never by email, and only the sign-in route receives it.

export const DEVICE_COOKIE = "whatrack_device";
const DEVICE_TTL_SECONDS = 180 * 24 * 60 * 60;
const ISSUER = "whatrack";
const AUDIENCE = "whatrack:device";
const COOKIE_PATH = "/api/v1/auth/sign-in";

export type Device = { accountKey: string; deviceId: string };

export async function createDeviceToken(accountKey: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(accountKey)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${DEVICE_TTL_SECONDS}s`)
    .sign(signingKey());
}

/** The device named by the request's device cookie, or null (none, forged, expired). */
export async function readDeviceToken(cookieHeader: string | null): Promise<Device | null> {
  const token = cookieValue(cookieHeader, DEVICE_COOKIE);
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, signingKey(), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ["exp", "sub", "jti"] });
    return { accountKey: payload.sub!, deviceId: payload.jti! };
  } catch {
    return null;
  }
}

export function deviceCookie(token: string, secure: boolean): string {
  return `${DEVICE_COOKIE}=${token}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_TTL_SECONDS}${secure ? "; Secure" : ""}`;
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
