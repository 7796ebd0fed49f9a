import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { JobHandler } from "@/lib/jobs/job-context";

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 2_000;
// Uptime over 30 days needs the transitions of at least that long.
const MIN_TRANSITION_DAYS = 31;

type Target = { name: string; deleteBatch: (before: Date) => Promise<number>; days: number };

// Each statement deletes one bounded batch, so no run holds long locks or outlives its budget.
const targets = (): Target[] => [
  {
    name: "webhookEvents",
    days: env.RETENTION_WEBHOOK_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "WebhookEvent" WHERE id IN (SELECT id FROM "WebhookEvent" WHERE state = 'PROCESSED' AND "receivedAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    name: "statusEvents",
    days: env.RETENTION_WEBHOOK_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "MessageStatusEvent" WHERE id IN (SELECT id FROM "MessageStatusEvent" WHERE "appliedAt" IS NOT NULL AND "createdAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    name: "healthChecks",
    days: env.RETENTION_HEALTH_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "HealthCheck" WHERE id IN (SELECT id FROM "HealthCheck" WHERE "checkedAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    name: "connectionTransitions",
    days: Math.max(env.RETENTION_HEALTH_DAYS, MIN_TRANSITION_DAYS),
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "ConnectionTransition" WHERE id IN (SELECT id FROM "ConnectionTransition" WHERE at < ${before} LIMIT ${BATCH})`,
  },
  {
    name: "jobRuns",
    days: env.RETENTION_JOB_RUN_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "JobRun" WHERE id IN (SELECT id FROM "JobRun" WHERE status <> 'RUNNING' AND "startedAt" < ${before} LIMIT ${BATCH})`,
  },
];

/** The `data-retention` job: keeps the unbounded tables bounded, as configured (RETENTION_*_DAYS). */
export const runDataRetention: JobHandler = async (ctx) => {
  const summary: Record<string, number> = {};
  let hasMore = false;
  for (const target of targets()) {
    const before = new Date(Date.now() - target.days * DAY_MS);
    let pruned = 0;
    for (;;) {
      if (Date.now() >= ctx.deadline) {
        hasMore = true;
        break;
      }
      const deleted = await target.deleteBatch(before);
      pruned += deleted;
      if (deleted < BATCH) break;
    }
    summary[target.name] = pruned;
  }
  const total = Object.values(summary).reduce((a, b) => a + b, 0);
  return { message: `Pruned ${total} rows`, summary: { total, ...summary }, hasMore };
};
