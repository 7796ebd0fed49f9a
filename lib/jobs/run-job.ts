import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { ensureJob } from "@/lib/jobs/ensure-job";
import type { JobContext, JobResult } from "@/lib/jobs/job-context";
import { JOB_MAX_DURATION_SECONDS, type JobDefinition } from "@/lib/jobs/job-registry";
import { withLock, type HeldLock } from "@/lib/locks/with-lock";
import { scopedLogger, scrubSecrets } from "@/lib/log/logger";

export type JobTrigger = { kind: "cron" | "dispatcher" | "manual"; by?: string; slotKey?: string };

export type RunJobOutcome =
  | { status: "succeeded"; runId: string; result: JobResult }
  | { status: "failed"; runId: string; error: string }
  | { status: "skipped"; runId: string; reason: string }
  | { status: "busy" }
  | { status: "duplicate_slot" };

const leaseMs = () => env.JOB_LEASE_SECONDS * 1000;
// Time kept back from the route's maxDuration to record the run after the work stops.
const FINISH_MARGIN_MS = 20_000;
const ABANDONED = "Abandoned: it lost the job's lease before finishing (its process stopped or stalled) and a later run took the job over";

/**
 * Runs one job invocation and records it. The job row's claim (runId + leaseUntil) is the one record
 * of which run owns the job: taken by a guarded update, renewed by a heartbeat, required for every
 * write the run makes. The Redis lock in front only keeps invocations from overlapping (busy → 429)
 * before they reach the database. Losing either aborts the run's signal, and the run is recorded failed.
 */
export async function runJob(def: JobDefinition, trigger: JobTrigger): Promise<RunJobOutcome> {
  const job = await ensureJob(def.name);
  if (job.paused) return recordSkipped(def, trigger, "Job is paused");

  const locked = await withLock({
    key: `job:${def.name}`,
    ttlMs: leaseMs(),
    fn: async (lock) => {
      const runId = randomUUID();
      const claimedAt = Date.now();
      const [claim] = await prisma.job.updateManyAndReturn({
        where: { name: def.name, OR: [{ runId: null }, { leaseUntil: { lt: new Date(claimedAt) } }] },
        data: { runId, leaseUntil: new Date(claimedAt + leaseMs()) },
        select: { cursor: true },
      });
      if (!claim) return { status: "busy" } as const;
      try {
        // Only the claim's holder has a live run, so any other run still RUNNING lost the claim.
        await prisma.jobRun.updateMany({ where: { job: def.name, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date(), error: ABANDONED } });
        const created = await createRun(runId, def, trigger, "RUNNING");
        if (!created) return { status: "duplicate_slot" } as const;
        return await execute(def, runId, claim.cursor, claimedAt, lock);
      } finally {
        await prisma.job.updateMany({ where: { name: def.name, runId }, data: { runId: null, leaseUntil: null } });
      }
    },
  });
  // Busy: nothing is recorded and a slot is not spent — the holder may be running this very slot,
  // and if not, the dispatcher's next tick runs it.
  return locked.acquired ? locked.result : { status: "busy" };
}

async function execute(def: JobDefinition, runId: string, cursor: Prisma.JsonValue, claimedAt: number, lock: HeldLock): Promise<RunJobOutcome> {
  const log = scopedLogger({ jobId: def.name, runId });
  const lease = new AbortController();
  const signal = AbortSignal.any([lock.signal, lease.signal]);
  // The lease as this process knows it: it lapses, aborting the run, unless renewed in time (the
  // database unreachable, the event loop stalled). Timed from before the write that set it.
  let expiry: NodeJS.Timeout | undefined;
  const armLease = (from: number) => {
    clearTimeout(expiry);
    expiry = setTimeout(() => lease.abort(new Error("Job ownership lost: its lease lapsed before it could be renewed")), from + leaseMs() - Date.now());
    expiry.unref();
  };
  armLease(claimedAt);

  const heartbeat = async () => {
    signal.throwIfAborted();
    const at = Date.now();
    const renewed = await prisma.job.updateMany({ where: { name: def.name, runId }, data: { leaseUntil: new Date(at + leaseMs()) } });
    if (renewed.count === 0) lease.abort(new Error("Job ownership lost: another run holds the job's claim"));
    else armLease(at);
    // A failed extension aborts the lock's signal (withLock), hence this run's.
    if (!signal.aborted) await lock.extend();
    signal.throwIfAborted();
  };
  // Renews on its own, so handlers need not remember to; a stalled event loop lets it lapse, by design.
  const timer = setInterval(() => heartbeat().catch((err) => log.warn({ err }, "job heartbeat failed")), leaseMs() / 3);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  const ctx: JobContext = {
    runId,
    log,
    deadline: Date.now() + Math.min(def.budgetSeconds * 1000, JOB_MAX_DURATION_SECONDS * 1000 - FINISH_MARGIN_MS),
    cursor,
    signal,
    heartbeat,
    saveCursor: async (next) => {
      const saved = await prisma.job.updateMany({ where: { name: def.name, runId }, data: { cursor: next === null ? Prisma.DbNull : (next as Prisma.InputJsonValue) } });
      if (saved.count === 0) throw new Error("Job ownership lost: cursor not saved");
    },
  };

  const started = Date.now();
  try {
    const handler = await def.load();
    const result = await handler(ctx);
    // Work finished after the run lost the job is not a success: another run may have done it too.
    signal.throwIfAborted();
    await finishRun(runId, { status: "SUCCEEDED", summary: { ...result.summary, hasMore: result.hasMore ? 1 : 0 }, message: result.message });
    log.info({ durationMs: Date.now() - started, summary: result.summary, hasMore: result.hasMore ?? false }, `job ${def.name} succeeded`);
    return { status: "succeeded", runId, result };
  } catch (err) {
    // When the run lost the job, that is the reason, whatever the handler threw on its way out.
    const cause: unknown = signal.aborted ? signal.reason : err;
    const error = scrubSecrets(cause instanceof Error ? cause.message : String(cause)).slice(0, 2000);
    log.error({ err, durationMs: Date.now() - started }, `job ${def.name} failed`);
    await finishRun(runId, { status: "FAILED", error });
    return { status: "failed", runId, error };
  } finally {
    clearInterval(timer);
    clearTimeout(expiry);
  }
}

async function createRun(runId: string, def: JobDefinition, trigger: JobTrigger, status: "RUNNING" | "SKIPPED", error?: string): Promise<boolean> {
  try {
    await prisma.jobRun.create({
      data: {
        id: runId,
        job: def.name,
        trigger: trigger.kind,
        triggeredBy: trigger.by,
        slotKey: trigger.slotKey,
        status,
        error,
        finishedAt: status === "SKIPPED" ? new Date() : null,
      },
    });
    return true;
  } catch (err) {
    // The slot key is unique: a second delivery of the same scheduled occurrence lands here.
    if (trigger.slotKey && isUniqueViolation(err)) return false;
    throw err;
  }
}

async function recordSkipped(def: JobDefinition, trigger: JobTrigger, reason: string): Promise<RunJobOutcome> {
  const runId = randomUUID();
  if (!(await createRun(runId, def, trigger, "SKIPPED", reason))) return { status: "duplicate_slot" };
  return { status: "skipped", runId, reason };
}

// Guarded by RUNNING: a run already marked Abandoned by the claim's next holder keeps that verdict.
async function finishRun(runId: string, data: { status: "SUCCEEDED" | "FAILED"; summary?: Record<string, number>; message?: string; error?: string }) {
  await prisma.jobRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: {
      status: data.status,
      finishedAt: new Date(),
      summary: data.summary ? ({ ...data.summary } as Prisma.InputJsonValue) : undefined,
      error: data.error ?? null,
    },
  });
}
