import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { WebhookState } from "@/lib/generated/prisma/client";
import { runDataRetention } from "@/lib/retention/run-data-retention";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { textMessage } from "@/sim/webhook-payloads";
import { testJobContext } from "@/tests/helpers/job-context";
import { callJob } from "@/tests/helpers/job-routes";
import { connectTestNumber, deliveryFor } from "@/tests/helpers/webhook-harness";

// Ages are set against the defaults of lib/env.ts: webhooks 30 days, failed/dead webhooks 90, unapplied
// statuses 30, activity 90, emails 180, settled sends 90, audit 365. "Old" is a few days past a window, "recent" a few within.
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

async function webhookRow(state: WebhookState, ageDays: number, nextAttemptAt: Date | null = null): Promise<string> {
  const row = await prisma.webhookEvent.create({
    data: { rawBody: Buffer.from("{}"), bodySha256: randomBytes(32).toString("hex"), signatureValid: true, state, receivedAt: daysAgo(ageDays), nextAttemptAt },
    select: { id: true },
  });
  return row.id;
}

async function statusEvent(createdDaysAgo: number, appliedDaysAgo: number | null): Promise<string> {
  const row = await prisma.messageStatusEvent.create({
    data: {
      wamid: `wamid.${randomBytes(8).toString("hex")}`,
      status: "DELIVERED",
      timestamp: daysAgo(createdDaysAgo),
      phoneNumberId: "100000000000001",
      payload: {},
      createdAt: daysAgo(createdDaysAgo),
      appliedAt: appliedDaysAgo === null ? null : daysAgo(appliedDaysAgo),
    },
    select: { id: true },
  });
  return row.id;
}

/** Which of the candidates are still there, sorted. */
async function kept(find: (where: { id: { in: string[] } }) => Promise<{ id: string }[]>, candidates: string[]): Promise<string[]> {
  return (await find({ id: { in: candidates } })).map((r) => r.id).sort();
}
const sorted = (list: string[]) => [...list].sort();

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

  it("prunes activity, status events, failed and dead deliveries, emails and the audit log past their own windows", async () => {
    const number = await connectTestNumber();

    const activity = (age: number) =>
      prisma.activityEvent.create({ data: { workspaceId: number.workspaceId, type: "test.retention", summary: `${age} days old`, createdAt: daysAgo(age) }, select: { id: true } }).then((r) => r.id);
    const [oldActivity, recentActivity] = await Promise.all([activity(95), activity(85)]);

    const appliedOld = await statusEvent(36, 35);
    // Waited 40 days for its message, applied 5 days ago: the window runs from when it was applied.
    const appliedRecently = await statusEvent(40, 5);
    const unappliedOld = await statusEvent(35, null);
    const unappliedRecent = await statusEvent(25, null);

    const failedOld = await webhookRow("FAILED", 95);
    const failedRecent = await webhookRow("FAILED", 85);
    const failedStillRetrying = await webhookRow("FAILED", 95, new Date(Date.now() + 60_000));
    const deadOld = await webhookRow("DEAD", 95);
    const deadRecent = await webhookRow("DEAD", 85);
    const processedOld = await webhookRow("PROCESSED", 95);
    // Not yet processed, however old: backlog, never pruned.
    const pendingOld = await webhookRow("PENDING", 400, daysAgo(400));
    const processingOld = await webhookRow("PROCESSING", 400);

    const email = (status: "PENDING" | "SENT" | "FAILED" | "OUTBOX", age: number) =>
      prisma.emailMessage.create({ data: { to: "owner@example.test", subject: "s", html: "<p>h</p>", text: "t", status, createdAt: daysAgo(age) }, select: { id: true } }).then((r) => r.id);
    const [sentOld, outboxOld, failedEmailOld, pendingEmailOld, sentRecent] = await Promise.all([
      email("SENT", 185),
      email("OUTBOX", 185),
      email("FAILED", 185),
      email("PENDING", 185),
      email("SENT", 175),
    ]);

    const audit = (age: number) => prisma.auditLog.create({ data: { actor: "test", action: "test.retention", createdAt: daysAgo(age) }, select: { id: true } }).then((r) => r.id);
    const [auditOld, auditRecent] = await Promise.all([audit(370), audit(360)]);

    const res = await callJob("data-retention");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      success: true,
      data: { webhookEvents: 1, failedWebhookEvents: 2, statusEvents: 1, unappliedStatusEvents: 1, activityEvents: 1, emails: 3, auditLogs: 1, hasMore: false },
    });

    const activities = (where: { id: { in: string[] } }) => prisma.activityEvent.findMany({ where, select: { id: true } });
    expect(await kept(activities, [oldActivity, recentActivity])).toEqual([recentActivity]);
    const statuses = (where: { id: { in: string[] } }) => prisma.messageStatusEvent.findMany({ where, select: { id: true } });
    expect(await kept(statuses, [appliedOld, appliedRecently, unappliedOld, unappliedRecent])).toEqual(sorted([appliedRecently, unappliedRecent]));
    const webhooks = (where: { id: { in: string[] } }) => prisma.webhookEvent.findMany({ where, select: { id: true } });
    expect(await kept(webhooks, [failedOld, failedRecent, failedStillRetrying, deadOld, deadRecent, processedOld, pendingOld, processingOld])).toEqual(
      sorted([failedRecent, failedStillRetrying, deadRecent, pendingOld, processingOld]),
    );
    const emails = (where: { id: { in: string[] } }) => prisma.emailMessage.findMany({ where, select: { id: true } });
    expect(await kept(emails, [sentOld, outboxOld, failedEmailOld, pendingEmailOld, sentRecent])).toEqual(sorted([pendingEmailOld, sentRecent]));
    const audits = (where: { id: { in: string[] } }) => prisma.auditLog.findMany({ where, select: { id: true } });
    expect(await kept(audits, [auditOld, auditRecent])).toEqual([auditRecent]);
  });

  it("prunes settled sends past RETENTION_OUTBOUND_DAYS and keeps queued or in-flight ones whatever their age", async () => {
    const number = await connectTestNumber();
    const send = (state: "QUEUED" | "SENDING" | "SENT" | "FAILED" | "DEAD", age: number) =>
      prisma.outboundMessage
        .create({
          data: {
            workspaceId: number.workspaceId,
            connectionId: number.connectionId,
            contactId: "contact",
            conversationId: "conversation",
            to: "15550001111",
            type: "text",
            body: { body: `${state} ${age}` },
            state,
            idempotencyKey: `${state}-${age}`,
            createdAt: daysAgo(age),
          },
          select: { id: true },
        })
        .then((r) => r.id);
    const [sentOld, failedOld, deadOld, sentRecent, queuedOld, sendingOld] = await Promise.all([
      send("SENT", 95),
      send("FAILED", 95),
      send("DEAD", 95),
      send("SENT", 85),
      send("QUEUED", 400),
      send("SENDING", 400),
    ]);

    const res = await callJob("data-retention");
    expect(await res.json()).toMatchObject({ success: true, data: { outboundMessages: 3 } });
    const sends = (where: { id: { in: string[] } }) => prisma.outboundMessage.findMany({ where, select: { id: true } });
    expect(await kept(sends, [sentOld, failedOld, deadOld, sentRecent, queuedOld, sendingOld])).toEqual(sorted([sentRecent, queuedOld, sendingOld]));
  });

  it("stops at its deadline with hasMore, and the next run resumes where it stopped", async () => {
    const number = await connectTestNumber();
    // One more than a batch, so the audit log takes two statements.
    await prisma.auditLog.createMany({ data: Array.from({ length: 2_003 }, (_, i) => ({ actor: "test", action: `bulk.${i}`, createdAt: daysAgo(400) })) });
    const activity = await prisma.activityEvent.create({ data: { workspaceId: number.workspaceId, type: "test.retention", summary: "old", createdAt: daysAgo(100) } });
    const oldAudit = () => prisma.auditLog.count({ where: { createdAt: { lt: daysAgo(365) } } });

    // Out of time before it starts: nothing pruned, and the next run is told to continue from the first table.
    const late = testJobContext({ deadline: Date.now() - 1 });
    expect(await runDataRetention(late)).toMatchObject({ hasMore: true, summary: { total: 0 } });
    expect(late.savedCursor()).toEqual({ resumeAt: "webhookEvents" });
    expect(await oldAudit()).toBe(2_003);

    // Resumed at the audit log, with time for exactly one batch: the deadline passes once it is done.
    const first = testJobContext({ cursor: { resumeAt: "auditLogs" } });
    let deadlineReads = 0;
    Object.defineProperty(first, "deadline", { get: () => (deadlineReads++ === 0 ? Date.now() + 60_000 : Date.now() - 1) });
    expect(await runDataRetention(first)).toMatchObject({ hasMore: true, summary: { total: 2_000, auditLogs: 2_000, activityEvents: 0 } });
    expect(first.savedCursor()).toEqual({ resumeAt: "auditLogs" });
    expect(await oldAudit()).toBe(3);
    expect(await prisma.activityEvent.count({ where: { id: activity.id } })).toBe(1);

    // The next run starts with the audit log and wraps round to the tables before it.
    const second = testJobContext({ cursor: first.savedCursor() });
    expect(await runDataRetention(second)).toMatchObject({ hasMore: false, summary: { total: 4, auditLogs: 3, activityEvents: 1 } });
    expect(second.savedCursor()).toBeNull();
    expect(await oldAudit()).toBe(0);
    expect(await prisma.activityEvent.count({ where: { id: activity.id } })).toBe(0);
  });
});
