import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import type { JobContext, JobResult } from "@/lib/jobs/job-context";
import { JOB_MAX_DURATION_SECONDS, type JobDefinition } from "@/lib/jobs/job-registry";
import { withLock } from "@/lib/locks/with-lock";
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

/**
 * Runs one job invocation and records it. Redis keeps invocations from overlapping (busy → 429);
 * the job row's runId + lease is the database claim behind it, so a run whose lock expired while
 * its process was paused can no longer save a cursor or finish over a newer run.
 */
export async function runJob(def: JobDefinition, trigger: JobTrigger): Promise<RunJobOutcome> {
  const job = await prisma.job.upsert({ where: { name: def.name }, create: { name: def.name }, update: {} });
  if (job.paused) return recordSkipped(def, trigger, "Job is paused");

  const locked = await withLock({
    key: `job:${def.name}`,
    ttlMs: leaseMs(),
    fn: async (lock) => {
      const runId = randomUUID();
      const claimed = await prisma.job.updateMany({
        where: { name: def.name, OR: [{ runId: null }, { leaseUntil: { lt: new Date() } }] },
        data: { runId, leaseUntil: new Date(Date.now() + leaseMs()) },
      });
      if (claimed.count === 0) return { status: "busy" } as const;
      try {
        // A run whose process died never finished its row: say so instead of leaving it "running".
        await prisma.jobRun.updateMany({
          where: { job: def.name, status: "RUNNING", leaseUntil: { lt: new Date() } },
          data: { status: "FAILED", finishedAt: new Date(), leaseUntil: null, error: "Abandoned: its process stopped before finishing (lease expired)" },
        });
        const created = await createRun(runId, def, trigger, "RUNNING");
        if (!created) return { status: "duplicate_slot" } as const;
        return await execute(def, runId, job.cursor, lock);
      } finally {
        await prisma.job.updateMany({ where: { name: def.name, runId }, data: { runId: null, leaseUntil: null } });
      }
    },
  });
  // Busy: nothing is recorded and a slot is not spent — the holder may be running this very slot,
  // and if not, the dispatcher's next tick runs it.
  return locked.acquired ? locked.result : { status: "busy" };
}

async function execute(def: JobDefinition, runId: string, cursor: Prisma.JsonValue, lock: { extend(): Promise<boolean>; signal: AbortSignal }): Promise<RunJobOutcome> {
  const log = scopedLogger({ jobId: def.name, runId });
  const heartbeat = async () => {
    const renewed = await prisma.job.updateMany({ where: { name: def.name, runId }, data: { leaseUntil: new Date(Date.now() + leaseMs()) } });
    if (renewed.count === 0 || !(await lock.extend())) throw new Error("Job ownership lost (lease expired and taken over)");
    await prisma.jobRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { leaseUntil: new Date(Date.now() + leaseMs()) } });
  };
  // Renews on its own, so handlers need not remember to; a stalled event loop lets it lapse, by design.
  const timer = setInterval(() => heartbeat().catch((err) => log.warn({ err }, "job heartbeat failed")), leaseMs() / 3);
  const ctx: JobContext = {
    runId,
    log,
    deadline: Date.now() + Math.min(def.budgetSeconds * 1000, JOB_MAX_DURATION_SECONDS * 1000 - FINISH_MARGIN_MS),
    cursor,
    signal: lock.signal,
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
    await finishRun(runId, { status: "SUCCEEDED", summary: { ...result.summary, hasMore: result.hasMore ? 1 : 0 }, message: result.message });
    log.info({ durationMs: Date.now() - started, summary: result.summary, hasMore: result.hasMore ?? false }, `job ${def.name} succeeded`);
    return { status: "succeeded", runId, result };
  } catch (err) {
    const error = scrubSecrets(err instanceof Error ? err.message : String(err)).slice(0, 2000);
    log.error({ err, durationMs: Date.now() - started }, `job ${def.name} failed`);
    await finishRun(runId, { status: "FAILED", error });
    return { status: "failed", runId, error };
  } finally {
    clearInterval(timer);
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
        leaseUntil: status === "RUNNING" ? new Date(Date.now() + leaseMs()) : null,
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

async function finishRun(runId: string, data: { status: "SUCCEEDED" | "FAILED"; summary?: Record<string, number>; message?: string; error?: string }) {
  await prisma.jobRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: {
      status: data.status,
      finishedAt: new Date(),
      leaseUntil: null,
      summary: data.summary ? ({ ...data.summary } as Prisma.InputJsonValue) : undefined,
      error: data.error ?? null,
    },
  });
}
