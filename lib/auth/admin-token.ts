import { SignJWT, jwtVerify } from "jose";
import { signingKey } from "@/lib/auth/signing-key";
import { AppError } from "@/lib/http/app-error";

// Bearer tokens for the admin API: HS256 JWTs signed with SESSION_SECRET, algorithm pinned, issuer
// and audience checked, expiry required. Minted by `npm run whatrack -- admin:token`.

export const SYSTEM_MANAGE = "system:manage";
const ISSUER = "whatrack";
const AUDIENCE = "whatrack:admin-api";

export async function mintAdminToken(input: { subject: string; permissions?: string[]; ttlSeconds?: number }): Promise<string> {
  return new SignJWT({ perms: input.permissions ?? [SYSTEM_MANAGE] })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(input.subject)
    .setIssuedAt()
    .setExpirationTime(`${input.ttlSeconds ?? 3600}s`)
    .sign(signingKey());
}

export async function verifyAdminToken(token: string): Promise<{ subject: string; permissions: string[] }> {
  const key = signingKey();
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ["exp", "sub"] });
    const perms = Array.isArray(payload.perms) ? payload.perms.filter((p): p is string => typeof p === "string") : [];
    return { subject: payload.sub!, permissions: perms };
  } catch {
    throw new AppError("unauthorized", "Invalid or expired admin token");
  }
}
