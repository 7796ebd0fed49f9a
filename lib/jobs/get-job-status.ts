import { prisma } from "@/lib/db/client";
import type { JobDefinition } from "@/lib/jobs/job-registry";
import { nextRun } from "@/lib/jobs/next-run";

/** Running or not, paused, schedule and next occurrence, and the latest runs with outcome and duration. */
export async function getJobStatus(def: JobDefinition, options: { runs?: number } = {}) {
  const [job, runs] = await Promise.all([
    prisma.job.findUnique({ where: { name: def.name } }),
    prisma.jobRun.findMany({ where: { job: def.name }, orderBy: { startedAt: "desc" }, take: options.runs ?? 10 }),
  ]);
  const now = new Date();
  return {
    job: def.name,
    description: def.description,
    schedule: def.schedule,
    timeZone: def.timeZone,
    nextRunAt: nextRun(def, now)?.toISOString() ?? null,
    paused: job?.paused ?? false,
    running: Boolean(job?.runId && job.leaseUntil && job.leaseUntil > now),
    resumesFromCursor: job?.cursor != null,
    lastRuns: runs.map((r) => ({
      runId: r.id,
      status: r.status,
      trigger: r.trigger,
      triggeredBy: r.triggeredBy,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
      summary: r.summary,
      error: r.error,
    })),
  };
}
