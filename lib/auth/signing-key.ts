import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";

/** The HS256 key for sessions and admin tokens (SESSION_SECRET); each token kind has its own audience. */
export function signingKey(): Uint8Array {
  if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32) {
    throw new AppError("unavailable", "Sign-in needs SESSION_SECRET (at least 32 characters)");
  }
  return new TextEncoder().encode(env.SESSION_SECRET);
}
