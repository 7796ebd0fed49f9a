import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { CATCH_UP_MS, dispatchDueJobs as dispatchOrBusy } from "@/lib/jobs/dispatch-due-jobs";
import type { JobDefinition } from "@/lib/jobs/job-registry";
import { runJob } from "@/lib/jobs/run-job";

// The dispatcher with test jobs that only count their runs, so what is asserted is the dispatching.
let runsOf: Record<string, number> = {};
const job = (name: string, schedule: string, timeZone = "UTC"): JobDefinition => ({
  name,
  description: name,
  schedule,
  timeZone,
  budgetSeconds: 10,
  load: async () => async () => {
    runsOf[name] = (runsOf[name] ?? 0) + 1;
    return { message: "counted", summary: { total: 1 } };
  },
});

/** What one dispatcher ran; fails the test if another dispatcher held the lock. */
async function dispatchDueJobs(now: Date, jobs: JobDefinition[]) {
  const outcome = await dispatchOrBusy(now, jobs);
  if (outcome.status !== "dispatched") throw new Error("another dispatcher is running");
  return outcome.dispatched;
}

describe("dispatcher", () => {
  it("runs what is due in each job's own time zone, and only that", async () => {
    runsOf = {};
    const jobs = [job("daily-israel", "0 3 * * *", "Asia/Jerusalem"), job("every-15", "*/15 * * * *"), job("daily-utc", "0 12 * * *")];
    // 2026-03-27T00:00Z is 03:00 in Israel on the first day of summer time.
    const result = await dispatchDueJobs(new Date("2026-03-27T00:01:00Z"), jobs);
    expect(result.map((r) => [r.job, r.slot, r.outcome])).toEqual([
      ["daily-israel", "2026-03-27T00:00:00.000Z", "succeeded"],
      ["every-15", "2026-03-27T00:00:00.000Z", "succeeded"],
    ]);
    expect(runsOf).toEqual({ "daily-israel": 1, "every-15": 1 });
  });

  it("the same occurrence delivered twice — one after the other, or at once — runs once", async () => {
    runsOf = {};
    const jobs = [job("twice", "*/5 * * * *")];
    const now = new Date("2026-11-23T10:05:20Z");
    await dispatchDueJobs(now, jobs);
    const again = await dispatchDueJobs(new Date("2026-11-23T10:06:00Z"), jobs);
    expect(again[0]?.outcome).toBe("duplicate_slot");
    // Two dispatchers at once: one runs, the other is told one is running.
    const concurrent = await Promise.all([dispatchOrBusy(new Date("2026-11-23T10:10:01Z"), jobs), dispatchOrBusy(new Date("2026-11-23T10:10:02Z"), jobs)]);
    expect(concurrent.map((c) => c.status).sort()).toEqual(["busy", "dispatched"]);
    expect(concurrent.flatMap((c) => (c.status === "dispatched" ? c.dispatched : [])).map((r) => r.outcome)).toEqual(["succeeded"]);
    // Delivered again later: that occurrence already ran. Past the dispatcher's early exit, the slot's
    // unique key is what refuses it.
    expect((await dispatchDueJobs(new Date("2026-11-23T10:10:03Z"), jobs))[0]?.outcome).toBe("duplicate_slot");
    expect(await runJob(jobs[0]!, { kind: "dispatcher", slotKey: "twice@2026-11-23T10:10:00.000Z" })).toEqual({ status: "duplicate_slot" });
    expect(runsOf.twice).toBe(2); // 10:05 and 10:10, once each
    expect(await prisma.jobRun.count({ where: { job: "twice", slotKey: { not: null } } })).toBeGreaterThanOrEqual(2);
    expect(await prisma.jobRun.count({ where: { job: "twice", status: "SUCCEEDED" } })).toBe(2);
  });

  it("an autumn-repeated local hour is one slot; the winter 3:00 AM is 01:00 UTC", async () => {
    runsOf = {};
    const jobs = [job("night", "30 1 * * *", "Asia/Jerusalem"), job("three", "0 3 * * *", "Asia/Jerusalem")];
    await dispatchDueJobs(new Date("2026-10-24T22:31:00Z"), jobs); // 01:30 summer time
    await dispatchDueJobs(new Date("2026-10-24T23:31:00Z"), jobs); // 01:30 again, winter time
    await dispatchDueJobs(new Date("2026-10-25T00:01:00Z"), jobs); // 03:00 would be here in summer
    await dispatchDueJobs(new Date("2026-10-25T01:02:00Z"), jobs); // 03:00 winter time
    expect(runsOf).toEqual({ night: 1, three: 1 });
  });

  it("does not run a slot missed for longer than the catch-up window", async () => {
    runsOf = {};
    const late = new Date(new Date("2026-11-23T12:00:00Z").getTime() + CATCH_UP_MS + 60_000);
    expect(await dispatchDueJobs(late, [job("missed", "0 12 * * *")])).toEqual([]);
  });
});
