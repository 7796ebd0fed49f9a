import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { withLock } from "@/lib/locks/with-lock";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { buildMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { callJob, callJobStatus, cronSecret } from "@/tests/helpers/job-routes";
import { connectTestNumber, deliveryFor, graphSimulator } from "@/tests/helpers/webhook-harness";

afterEach(async () => {
  graphSimulator().control.reset();
  await runAfterCallbacks();
  await prisma.job.updateMany({ data: { paused: false } });
});

describe("job endpoint auth", () => {
  it("runs with Vercel's GET + Authorization: Bearer, and with POST + x-cron-secret", async () => {
    const viaVercel = await callJob("webhook-retry", { bearer: cronSecret() }, "GET");
    expect(viaVercel.status).toBe(200);
    expect(await viaVercel.json()).toMatchObject({ success: true, jobId: "webhook-retry", runId: expect.any(String), message: expect.any(String), data: { total: 0 } });
    const viaCurl = await callJob("webhook-retry", { header: cronSecret() }, "POST");
    expect(viaCurl.status).toBe(200);
    const runs = await prisma.jobRun.findMany({ where: { job: "webhook-retry" }, orderBy: { startedAt: "asc" } });
    expect(runs.map((r) => [r.status, r.trigger, r.triggeredBy])).toEqual([
      ["SUCCEEDED", "cron", "vercel-cron"],
      ["SUCCEEDED", "cron", "external-cron"],
    ]);
  });

  it.each([
    ["no secret", {}],
    ["a wrong bearer", { bearer: "nope" }],
    ["a wrong header", { header: "nope" }],
    ["a longer secret", { header: `${"x".repeat(200)}` }],
  ])("answers 401 to %s and runs nothing", async (_, auth) => {
    const before = await prisma.jobRun.count();
    const res = await callJob("webhook-retry", auth);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ success: false, error: { code: "unauthorized", message: expect.any(String) } });
    expect(await prisma.jobRun.count()).toBe(before);
  });

  it("refuses a secret in the query string, naming the header to use", async () => {
    const res = await callJob("webhook-retry", { query: `?secret=${cronSecret()}` });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({ code: "unauthorized", message: expect.stringMatching(/x-cron-secret header/) });
  });

  it("answers 404 to an unknown job", async () => {
    const res = await callJob("no-such-job");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ success: false, error: { code: "not_found", message: 'Unknown job "no-such-job"' } });
  });
});

describe("job runs", () => {
  it("answers 429 while the job's lock is held, and runs nothing", async () => {
    const before = await prisma.jobRun.count();
    const held = await withLock({
      key: "job:webhook-retry",
      ttlMs: 10_000,
      fn: async () => {
        const res = await callJob("webhook-retry");
        return { status: res.status, body: await res.json() };
      },
    });
    expect(held).toEqual({ acquired: true, result: { status: 429, body: { success: false, error: { code: "rate_limited", message: "Job already running" } } } });
    expect(await prisma.jobRun.count()).toBe(before);
  });

  it("50 concurrent invocations: exactly one run, the rest 429", async () => {
    // A run that takes a while: a due delivery whose auto-reply goes through a slow Graph API.
    const number = await connectTestNumber();
    const event = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [buildMessage("audio")] })));
    await prisma.webhookEvent.update({ where: { id: event.id }, data: { state: "FAILED", nextAttemptAt: new Date(0) } });
    graphSimulator().control.setLatency(400);
    const before = await prisma.jobRun.count({ where: { job: "webhook-retry" } });

    const statuses = await Promise.all(Array.from({ length: 50 }, () => callJob("webhook-retry").then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(49);
    expect(await prisma.jobRun.count({ where: { job: "webhook-retry" } })).toBe(before + 1);
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).state).toBe("PROCESSED");
  });

  it("a paused job answers 200 skipped and records the skipped run", async () => {
    await prisma.job.upsert({ where: { name: "data-retention" }, create: { name: "data-retention", paused: true }, update: { paused: true } });
    const res = await callJob("data-retention");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, skipped: true, message: "Job is paused" });
    const run = await prisma.jobRun.findFirstOrThrow({ where: { job: "data-retention" }, orderBy: { startedAt: "desc" } });
    expect(run.status).toBe("SKIPPED");
  });

  it("status: running or not, paused, last runs with outcome and duration", async () => {
    await callJob("data-retention");
    const res = await callJobStatus("data-retention");
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data).toMatchObject({ job: "data-retention", running: false, paused: false, timeZone: "Asia/Jerusalem", nextRunAt: expect.any(String) });
    expect(data.lastRuns[0]).toMatchObject({ status: "SUCCEEDED", durationMs: expect.any(Number), summary: expect.objectContaining({ total: expect.any(Number) }) });
    expect((await callJobStatus("data-retention", { header: "wrong" })).status).toBe(401);
  });
});
