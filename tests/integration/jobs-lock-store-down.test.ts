import { describe, expect, it } from "vitest";

// Redis unreachable: job endpoints fail closed — 503, and the job does not run.
process.env.REDIS_URL = "redis://127.0.0.1:1";

describe("lock store down", () => {
  it("answers 503 and records no run", async () => {
    const { callJob } = await import("@/tests/helpers/job-routes");
    const { prisma } = await import("@/lib/db/client");
    const started = Date.now();
    const res = await callJob("webhook-retry");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ success: false, error: { code: "unavailable", message: expect.stringMatching(/lock store/i) } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await prisma.jobRun.count()).toBe(0);
  });

  it("health reports the lock store as the part that is down", async () => {
    const { GET } = await import("@/app/api/health/route");
    const res = await GET(new Request("http://localhost/api/health"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", database: { status: "ok" }, lockStore: { status: "down", kind: "redis" } });
  });
});
