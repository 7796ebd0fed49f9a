import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { getLockStore } from "@/lib/locks/get-lock-store";

/** Throws 429 once `key` has been hit more than `limit` times in the current window. */
export async function assertRateLimit({ key, limit, windowMs, message }: { key: string; limit: number; windowMs: number; message: string }): Promise<void> {
  const count = await getLockStore().hit(`${env.REDIS_KEY_PREFIX}:rate:${key}`, windowMs);
  if (count > limit) throw new AppError("rate_limited", message);
}
