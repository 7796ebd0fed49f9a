import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { JobDefinition } from "@/lib/jobs/job-registry";

// A run killed mid-way (kill -9): its lock expires within the lease, the next run resumes from the
// saved cursor, and the dead run's row says it was abandoned. Needs PostgreSQL and Redis servers,
// since the killed run lives in another process.
const onServers = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const LEASE_SECONDS = 2;

describe.skipIf(!onServers)("a job run killed mid-way", () => {
  it("frees the job within the lease and the next run resumes from the cursor", async () => {
    const { prisma } = await import("@/lib/db/client");
    const { runJob } = await import("@/lib/jobs/run-job");

    const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/hang-in-job.ts"], {
      env: { ...process.env, JOB_LEASE_SECONDS: String(LEASE_SECONDS), LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("CURSOR_SAVED") && resolve());
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });

    let seenCursor: unknown = "not run";
    const resume: JobDefinition = {
      name: "kill-test",
      description: "resumes",
      schedule: "0 0 1 1 *",
      timeZone: "UTC",
      budgetSeconds: 60,
      load: async () => async (ctx) => {
        seenCursor = ctx.cursor;
        await ctx.saveCursor(null);
        return { message: "resumed", summary: { total: 1 } };
      },
    };
    // Refused while the child holds the job (this also warms up this process's lock store and database
    // client, so the calls after the kill are timed on the lease, not on a loaded machine's start-up).
    expect((await runJob(resume, { kind: "manual", by: "test" })).status).toBe("busy");
    child.kill("SIGKILL");
    const killedAt = Date.now();
    let outcome = await runJob(resume, { kind: "manual", by: "test" });
    while (outcome.status === "busy" && Date.now() - killedAt < 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      outcome = await runJob(resume, { kind: "manual", by: "test" });
    }
    const freedAfterMs = Date.now() - killedAt;

    expect(outcome.status).toBe("succeeded");
    expect(freedAfterMs).toBeLessThan(LEASE_SECONDS * 1000 + 1500);
    expect(seenCursor).toEqual({ afterId: "item-5" });
    const runs = await prisma.jobRun.findMany({ where: { job: "kill-test" }, orderBy: { startedAt: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["FAILED", "SUCCEEDED"]);
    expect(runs[0]!.error).toMatch(/Abandoned/);
    expect((await prisma.job.findUniqueOrThrow({ where: { name: "kill-test" } })).cursor).toBeNull();
  });
});
