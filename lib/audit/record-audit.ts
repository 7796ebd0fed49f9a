import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log/logger";

/** Who did what to which target: every manual trigger and every change made through the admin API. */
export async function recordAudit(entry: { actor: string; action: string; target?: string; data?: Prisma.InputJsonValue }): Promise<void> {
  await prisma.auditLog.create({ data: entry });
  logger.info({ audit: { actor: entry.actor, action: entry.action, target: entry.target } }, `audit: ${entry.action}`);
}
