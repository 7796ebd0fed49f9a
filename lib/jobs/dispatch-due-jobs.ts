import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { JOBS, type JobDefinition } from "@/lib/jobs/job-registry";
import { previousRun } from "@/lib/jobs/next-run";
import { runJob, type RunJobOutcome } from "@/lib/jobs/run-job";
import { withLock } from "@/lib/locks/with-lock";

// A slot missed by more than this (the dispatcher was down) is not run late.
export const CATCH_UP_MS = 30 * 60 * 1000;

export type Dispatched = { job: string; slot: string; outcome: RunJobOutcome["status"]; runId?: string };
export type DispatchOutcome = { status: "dispatched"; dispatched: Dispatched[] } | { status: "busy" };

/**
 * What one frequent cron (Vercel: UTC only, may deliver an occurrence twice) calls: runs every job
 * whose latest scheduled occurrence in its own time zone is due. One dispatcher at a time (the others
 * answer busy → 429), like a job; each slot is a unique key on the job run, so a duplicate delivery of
 * the same occurrence cannot run it again whenever it comes.
 */
export async function dispatchDueJobs(now: Date = new Date(), jobs: readonly JobDefinition[] = JOBS): Promise<DispatchOutcome> {
  const ttlMs = env.JOB_LEASE_SECONDS * 1000;
  const locked = await withLock({
    key: "jobs:dispatch",
    ttlMs,
    fn: async (lock) => {
      // Only keeps dispatchers from overlapping: losing it aborts nothing (each job has its own claim).
      const renew = setInterval(() => void lock.extend().catch(() => {}), ttlMs / 3);
      try {
        return await dispatch(now, jobs);
      } finally {
        clearInterval(renew);
      }
    },
  });
  return locked.acquired ? { status: "dispatched", dispatched: locked.result } : { status: "busy" };
}

async function dispatch(now: Date, jobs: readonly JobDefinition[]): Promise<Dispatched[]> {
  const due = jobs
    .map((def) => ({ def, slot: previousRun(def, now) }))
    .filter((d): d is { def: JobDefinition; slot: Date } => d.slot !== null && now.getTime() - d.slot.getTime() <= CATCH_UP_MS);

  return Promise.all(
    due.map(async ({ def, slot }) => {
      const slotKey = `${def.name}@${slot.toISOString()}`;
      // Cheap early exit; the unique key is what actually guarantees it.
      if (await prisma.jobRun.findUnique({ where: { slotKey }, select: { id: true } })) return { job: def.name, slot: slot.toISOString(), outcome: "duplicate_slot" as const };
      const outcome = await runJob(def, { kind: "dispatcher", slotKey });
      return { job: def.name, slot: slot.toISOString(), outcome: outcome.status, runId: "runId" in outcome ? outcome.runId : undefined };
    }),
  );
}
