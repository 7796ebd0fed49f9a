import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { textMessage } from "@/sim/webhook-payloads";
import { callJob } from "@/tests/helpers/job-routes";
import { connectTestNumber, deliveryFor } from "@/tests/helpers/webhook-harness";

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe("data-retention job", () => {
  it("prunes old processed payloads, health rows and job runs, and keeps the rest", async () => {
    const number = await connectTestNumber();
    const store = async (state: "PROCESSED" | "FAILED", age: number) => {
      const e = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage()] })));
      await prisma.webhookEvent.update({ where: { id: e.id }, data: { state, receivedAt: daysAgo(age) } });
      return e.id;
    };
    const oldProcessed = await store("PROCESSED", 45);
    const recentProcessed = await store("PROCESSED", 5);
    const oldFailed = await store("FAILED", 45);
    await prisma.healthCheck.createMany({
      data: [
        { workspaceId: number.workspaceId, connectionId: number.connectionId, kind: "token", result: "HEALTHY", checkedAt: daysAgo(120) },
        { workspaceId: number.workspaceId, connectionId: number.connectionId, kind: "token", result: "HEALTHY", checkedAt: daysAgo(1) },
      ],
    });
    await prisma.jobRun.createMany({
      data: [
        { job: "webhook-retry", trigger: "cron", status: "SUCCEEDED", startedAt: daysAgo(60) },
        { job: "webhook-retry", trigger: "cron", status: "SUCCEEDED", startedAt: daysAgo(2) },
      ],
    });

    const res = await callJob("data-retention");
    expect(await res.json()).toMatchObject({ success: true, data: { webhookEvents: 1, healthChecks: 1, jobRuns: 1 } });
    const left = await prisma.webhookEvent.findMany({ select: { id: true } });
    expect(left.map((e) => e.id).sort()).toEqual([recentProcessed, oldFailed].sort());
    expect(left.map((e) => e.id)).not.toContain(oldProcessed);
    expect(await prisma.healthCheck.count()).toBe(1);
    expect(await prisma.jobRun.count({ where: { job: "webhook-retry" } })).toBe(1);
  });
});
