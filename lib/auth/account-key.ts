import { createHash } from "node:crypto";

/** How rate-limit keys and device cookies name an account (an email, normalized): never the email itself. */
export function accountKey(email: string): string {
  return createHash("sha256").update(`whatrack:account:${email}`).digest("hex").slice(0, 32);
}
