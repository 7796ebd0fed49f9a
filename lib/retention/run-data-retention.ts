import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { JobHandler } from "@/lib/jobs/job-context";

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 2_000;
// Uptime over 30 days needs the transitions of at least that long.
const MIN_TRANSITION_DAYS = 31;

type Target = { name: string; deleteBatch: (before: Date) => Promise<number>; days: number };

// Each statement deletes one bounded batch, so no run holds long locks or outlives its budget. Every
// WHERE matches an index (docs/jobs.md, "Retention"), so a batch finding nothing left costs an index probe.
const targets = (): Target[] => [
  {
    name: "webhookEvents",
    days: env.RETENTION_WEBHOOK_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "WebhookEvent" WHERE id IN (SELECT id FROM "WebhookEvent" WHERE state = 'PROCESSED' AND "receivedAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    // Kept for a person to replay, so longer; FAILED ones still scheduled for a retry stay whatever their age.
    name: "failedWebhookEvents",
    days: env.RETENTION_FAILED_WEBHOOK_DAYS,
    deleteBatch: (before) =>
      prisma.$executeRaw`DELETE FROM "WebhookEvent" WHERE id IN (SELECT id FROM "WebhookEvent" WHERE state IN ('FAILED', 'DEAD') AND (state = 'DEAD' OR "nextAttemptAt" IS NULL) AND "receivedAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    // By appliedAt (which follows createdAt), so the (appliedAt, createdAt) index bounds the scan.
    name: "statusEvents",
    days: env.RETENTION_WEBHOOK_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "MessageStatusEvent" WHERE id IN (SELECT id FROM "MessageStatusEvent" WHERE "appliedAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    // Statuses of messages we never stored (sent outside WhaTrack): nothing will apply them now.
    name: "unappliedStatusEvents",
    days: env.RETENTION_UNAPPLIED_STATUS_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "MessageStatusEvent" WHERE id IN (SELECT id FROM "MessageStatusEvent" WHERE "appliedAt" IS NULL AND "createdAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    name: "activityEvents",
    days: env.RETENTION_ACTIVITY_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "ActivityEvent" WHERE id IN (SELECT id FROM "ActivityEvent" WHERE "createdAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    // PENDING ones are still being sent.
    name: "emails",
    days: env.RETENTION_EMAIL_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "EmailMessage" WHERE id IN (SELECT id FROM "EmailMessage" WHERE status <> 'PENDING' AND "createdAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    // Settled sends only; a queued or in-flight one stays whatever its age. The Message row they made stays.
    name: "outboundMessages",
    days: env.RETENTION_OUTBOUND_DAYS,
    deleteBatch: (before) =>
      prisma.$executeRaw`DELETE FROM "OutboundMessage" WHERE id IN (SELECT id FROM "OutboundMessage" WHERE state IN ('SENT', 'FAILED', 'DEAD') AND "createdAt" < ${before} LIMIT ${BATCH})`,
  },
  {
    name: "auditLogs",
    days: env.RETENTION_AUDIT_DAYS,
    deleteBatch: (before) => prisma.$executeRaw`DELETE FROM "AuditLog" WHERE id IN (SELECT id FROM "AuditLog" WHERE "createdAt" < ${before} LIMIT ${BATCH})`,
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

// Where a time-limited run stopped: the next run starts with that table, so a large backlog in one
// table cannot starve the tables after it.
const cursorSchema = z.object({ resumeAt: z.string() });

/** The `data-retention` job: keeps the unbounded tables bounded, as configured (RETENTION_*_DAYS). */
export const runDataRetention: JobHandler = async (ctx) => {
  const all = targets();
  const cursor = cursorSchema.safeParse(ctx.cursor);
  const start = Math.max(0, cursor.success ? all.findIndex((t) => t.name === cursor.data.resumeAt) : 0);
  const ordered = [...all.slice(start), ...all.slice(0, start)];

  const summary: Record<string, number> = Object.fromEntries(all.map((t) => [t.name, 0]));
  const mustStop = () => Date.now() >= ctx.deadline || ctx.signal.aborted;
  let stoppedAt: string | null = null;
  for (const target of ordered) {
    const before = new Date(Date.now() - target.days * DAY_MS);
    let pruned = 0;
    let done = false;
    while (!done && !mustStop()) {
      const deleted = await target.deleteBatch(before);
      pruned += deleted;
      done = deleted < BATCH;
    }
    summary[target.name] = pruned;
    if (!done) {
      stoppedAt = target.name;
      break;
    }
  }
  ctx.signal.throwIfAborted();
  // Saved only at the end: a run killed mid-way merely starts the next one a few tables early.
  await ctx.saveCursor(stoppedAt ? { resumeAt: stoppedAt } : null);

  const total = Object.values(summary).reduce((a, b) => a + b, 0);
  const message = stoppedAt ? `Pruned ${total} row${total === 1 ? "" : "s"}; time budget spent, the next run continues with ${stoppedAt}` : `Pruned ${total} row${total === 1 ? "" : "s"}`;
  return { message, summary: { total, ...summary }, hasMore: stoppedAt !== null };
};
