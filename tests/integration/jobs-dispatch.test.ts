import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { CATCH_UP_MS, dispatchDueJobs } from "@/lib/jobs/dispatch-due-jobs";
import type { JobDefinition } from "@/lib/jobs/job-registry";

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
    const concurrent = await Promise.all([dispatchDueJobs(new Date("2026-11-23T10:10:01Z"), jobs), dispatchDueJobs(new Date("2026-11-23T10:10:02Z"), jobs)]);
    expect(concurrent.flat().filter((r) => r.outcome === "succeeded")).toHaveLength(1);
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
