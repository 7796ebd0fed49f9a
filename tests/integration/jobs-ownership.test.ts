import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { JobDefinition } from "@/lib/jobs/job-registry";
import type { JobContext } from "@/lib/jobs/job-context";

// Who owns a job run: the Job row's claim (runId + lease) is the one record; the lock only keeps runs
// from overlapping. A run that loses either is aborted and recorded as failed; a run left RUNNING by
// an owner that lost the claim is marked Abandoned by the next owner, whatever its own timestamps say.
const LEASE_SECONDS = 2;
process.env.JOB_LEASE_SECONDS = String(LEASE_SECONDS);

const { prisma } = await import("@/lib/db/client");
const { runJob } = await import("@/lib/jobs/run-job");
const { setJobPaused } = await import("@/lib/jobs/set-job-paused");

const manual = { kind: "manual" as const, by: "test" };
const uniqueName = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

function job(name: string, handler: (ctx: JobContext) => Promise<{ message: string; summary: Record<string, number> }>): JobDefinition {
  return { name, description: name, schedule: "0 0 1 1 *", timeZone: "UTC", budgetSeconds: 60, load: async () => handler };
}

/** Resolves when the signal aborts, or after `ms` with the signal still live. */
function abortedWithin(signal: AbortSignal, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve(true)), { once: true });
  });
}

function started() {
  let resolve!: (ctx: JobContext) => void;
  const promise = new Promise<JobContext>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the first calls of a job on a fresh database", () => {
  it("ten at once: one run, nine busy, nothing thrown", async () => {
    const def = job(uniqueName("first-calls"), async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { message: "ran", summary: { total: 1 } };
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => runJob(def, manual)));
    const statuses = outcomes.map((o) => (o.status === "fulfilled" ? o.value.status : `threw: ${String(o.reason)}`));
    expect(statuses.filter((s) => s === "succeeded")).toHaveLength(1);
    expect(statuses.filter((s) => s === "busy")).toHaveLength(9);
    expect(await prisma.jobRun.count({ where: { job: def.name } })).toBe(1);
  });

  it("pausing and resuming at once on a job never seen before does not collide", async () => {
    const def = job(uniqueName("first-pause"), async () => ({ message: "ran", summary: {} }));
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => setJobPaused(def, i % 2 === 0, "test")));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await prisma.job.count({ where: { name: def.name } })).toBe(1);
  });
});

describe("losing ownership mid-run", () => {
  it("another run taking the database claim aborts the handler's signal; the run is recorded as failed", async () => {
    const running = started();
    const def = job(uniqueName("lease-taken"), async (ctx) => {
      running.resolve(ctx);
      await abortedWithin(ctx.signal, 10_000);
      ctx.signal.throwIfAborted();
      return { message: "finished without noticing", summary: {} };
    });
    const outcome = runJob(def, manual);
    const ctx = await running.promise;

    // What a newer run's claim looks like once this run's lease lapsed while it was stalled.
    await prisma.job.update({ where: { name: def.name }, data: { runId: "newer-run", leaseUntil: new Date(Date.now() + 60_000) } });
    const takenAt = Date.now();
    expect(await abortedWithin(ctx.signal, LEASE_SECONDS * 1000 + 1000)).toBe(true);
    // Found out by the next heartbeat (every third of the lease), not when the lock runs out.
    expect(Date.now() - takenAt).toBeLessThan(LEASE_SECONDS * 1000 * 0.75);

    const result = await outcome;
    expect(result).toMatchObject({ status: "failed", error: expect.stringMatching(/ownership lost/i) });
    const run = await prisma.jobRun.findUniqueOrThrow({ where: { id: ctx.runId } });
    expect(run).toMatchObject({ status: "FAILED", error: expect.stringMatching(/ownership lost/i) });
    expect(run.finishedAt).not.toBeNull();
    // It lets go of nothing it no longer owns: the newer run's claim stands.
    expect(await prisma.job.findUniqueOrThrow({ where: { name: def.name } })).toMatchObject({ runId: "newer-run" });
  });

  it("a handler that ignores the abort and returns is still recorded as failed, not succeeded", async () => {
    const running = started();
    const def = job(uniqueName("lease-ignored"), async (ctx) => {
      running.resolve(ctx);
      await abortedWithin(ctx.signal, 10_000);
      return { message: "done anyway", summary: { total: 1 } };
    });
    const outcome = runJob(def, manual);
    const ctx = await running.promise;
    await prisma.job.update({ where: { name: def.name }, data: { runId: "newer-run", leaseUntil: new Date(Date.now() + 60_000) } });

    expect(await outcome).toMatchObject({ status: "failed", error: expect.stringMatching(/ownership lost/i) });
    expect(await prisma.jobRun.findUniqueOrThrow({ where: { id: ctx.runId } })).toMatchObject({ status: "FAILED" });
  });

  it("saving a cursor after the claim is gone fails, and the newer run's cursor stays", async () => {
    const running = started();
    let saveError: unknown = null;
    const def = job(uniqueName("cursor-after-loss"), async (ctx) => {
      running.resolve(ctx);
      await abortedWithin(ctx.signal, 10_000);
      saveError = await ctx.saveCursor({ afterId: "stale" }).then(() => null, (err: unknown) => err);
      return { message: "tried", summary: {} };
    });
    const outcome = runJob(def, manual);
    await running.promise;
    await prisma.job.update({ where: { name: def.name }, data: { runId: "newer-run", leaseUntil: new Date(Date.now() + 60_000), cursor: { afterId: "newer" } } });
    await outcome;
    expect(String(saveError)).toMatch(/ownership lost/i);
    expect((await prisma.job.findUniqueOrThrow({ where: { name: def.name } })).cursor).toEqual({ afterId: "newer" });
  });

  it.skipIf(!process.env.TEST_REDIS_URL)("losing the Redis lock aborts the handler's signal too", async () => {
    const { createClient } = await import("redis");
    const redis = createClient({ url: process.env.TEST_REDIS_URL });
    await redis.connect();
    try {
      const running = started();
      const def = job(uniqueName("lock-lost"), async (ctx) => {
        running.resolve(ctx);
        await abortedWithin(ctx.signal, 10_000);
        ctx.signal.throwIfAborted();
        return { message: "finished without noticing", summary: {} };
      });
      const outcome = runJob(def, manual);
      const ctx = await running.promise;
      expect(await redis.del(`${process.env.REDIS_KEY_PREFIX}:lock:job:${def.name}`)).toBe(1);
      expect(await abortedWithin(ctx.signal, LEASE_SECONDS * 1000 + 1000)).toBe(true);
      expect(await outcome).toMatchObject({ status: "failed" });
      expect(await prisma.jobRun.findUniqueOrThrow({ where: { id: ctx.runId } })).toMatchObject({ status: "FAILED" });
    } finally {
      await redis.quit();
    }
  });
});

describe("a run left RUNNING by an owner that lost the claim", () => {
  it("is marked Abandoned by the next run that takes the claim", async () => {
    const name = uniqueName("abandoned");
    // A run whose process died: its claim lapsed, its row still says RUNNING.
    await prisma.job.create({ data: { name, runId: "dead-run", leaseUntil: new Date(Date.now() - 1_000) } });
    await prisma.jobRun.create({ data: { id: "dead-run", job: name, trigger: "manual", status: "RUNNING", startedAt: new Date(Date.now() - 5_000) } });

    const outcome = await runJob(job(name, async () => ({ message: "next", summary: {} })), manual);
    expect(outcome.status).toBe("succeeded");
    const dead = await prisma.jobRun.findUniqueOrThrow({ where: { id: "dead-run" } });
    expect(dead).toMatchObject({ status: "FAILED", error: expect.stringMatching(/^Abandoned/) });
    expect(dead.finishedAt).not.toBeNull();
    expect(await prisma.jobRun.count({ where: { job: name, status: "RUNNING" } })).toBe(0);
  });

  it("a live claim is not taken, and its run is left alone", async () => {
    const name = uniqueName("live");
    await prisma.job.create({ data: { name, runId: "live-run", leaseUntil: new Date(Date.now() + 60_000) } });
    await prisma.jobRun.create({ data: { id: "live-run", job: name, trigger: "manual", status: "RUNNING" } });

    expect((await runJob(job(name, async () => ({ message: "should not run", summary: {} })), manual)).status).toBe("busy");
    expect(await prisma.jobRun.findUniqueOrThrow({ where: { id: "live-run" } })).toMatchObject({ status: "RUNNING" });
  });
});
