import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { computeUptime } from "@/lib/health/compute-uptime";
import { runConnectionMonitor } from "@/lib/health/run-connection-monitor";
import { connectTestNumber, graphSimulator, type TestNumber } from "@/tests/helpers/webhook-harness";
import { testJobContext } from "@/tests/helpers/job-context";
import { ownedNumber, retireOtherNumbers } from "@/tests/helpers/owned-number";

// CONNECTION_CRITICAL_AFTER_HOURS is the default (6 h): tests move offlineSince back rather than wait.
const HOUR = 3_600_000;
const sim = () => graphSimulator().control;

beforeEach(async () => {
  sim().reset();
  // Each test monitors only the connections it creates.
  await retireOtherNumbers();
});

async function monitor(options: { deadline?: number; cursor?: unknown } = {}) {
  const ctx = testJobContext(options);
  const result = await runConnectionMonitor(ctx);
  return { ...result, cursor: ctx.savedCursor() };
}

const state = (n: TestNumber) => prisma.whatsAppConnection.findUniqueOrThrow({ where: { id: n.connectionId }, include: { token: true } });
const transitions = (n: TestNumber) => prisma.connectionTransition.findMany({ where: { connectionId: n.connectionId }, orderBy: { at: "asc" } });
const checks = (n: TestNumber, kind: string) => prisma.healthCheck.findMany({ where: { connectionId: n.connectionId, kind }, orderBy: { checkedAt: "asc" } });
const emails = (n: TestNumber) => prisma.emailMessage.findMany({ where: { workspaceId: n.workspaceId }, orderBy: { createdAt: "asc" } });
const activities = (n: TestNumber, type: string) => prisma.activityEvent.findMany({ where: { connectionId: n.connectionId, type } });
const moveOfflineSinceBack = (n: TestNumber, ms: number) =>
  prisma.whatsAppConnection.update({ where: { id: n.connectionId }, data: { offlineSince: new Date(Date.now() - ms) } });

describe("connection-monitor: a healthy number", () => {
  it("stores status, quality and limit; records the first state as a transition; Healthy", async () => {
    const n = await ownedNumber();
    const result = await monitor();
    expect(result.hasMore).toBe(false);
    expect(result.cursor).toBeNull();
    expect(result.summary).toMatchObject({ total: 1, healthy: 1, warning: 0, critical: 0, unknown: 0, transient: 0, reconnected: 0, notified: 0 });
    const c = await state(n);
    expect(c).toMatchObject({ status: "ACTIVE", healthStatus: "HEALTHY", numberStatus: "CONNECTED", qualityRating: "GREEN", webhookSubscribed: true, offlineSince: null });
    expect(c.messagingLimit).toMatch(/^TIER_/);
    expect(c.lastConnectedAt).not.toBeNull();
    expect(c.subscriptionCheckAt).not.toBeNull();
    expect(await transitions(n)).toMatchObject([{ online: true, reason: expect.stringContaining("first check") }]);
    expect(await checks(n, "number")).toMatchObject([{ result: "HEALTHY", details: { status: "CONNECTED", canSendMessage: "AVAILABLE", subscribed: true } }]);

    await monitor();
    expect(await transitions(n)).toHaveLength(1);
  });

  it("online with a token that expires within 7 days keeps the token check's Warning visible", async () => {
    const n = await ownedNumber();
    const c = await state(n);
    await prisma.accessToken.update({ where: { id: c.tokenId! }, data: { expiresAt: new Date(Date.now() + 3 * 24 * HOUR) } });
    expect((await monitor()).summary).toMatchObject({ healthy: 1 });
    const after = await state(n);
    expect(after).toMatchObject({ status: "ACTIVE", healthStatus: "WARNING" });
    expect(after.healthReason).toContain("expires");
  });
});

describe("connection-monitor: webhook subscription", () => {
  it("an unsubscribed WABA is re-subscribed, and the attempt recorded", async () => {
    const n = await ownedNumber();
    sim().setSubscribed(n.wabaId, false);
    const result = await monitor();
    expect(result.summary).toMatchObject({ healthy: 1, reconnected: 1 });
    expect(sim().requests().filter((r) => r.endpoint === "POST /{waba-id}/subscribed_apps")).toMatchObject([{ wabaId: n.wabaId, status: 200 }]);
    expect(await checks(n, "subscription")).toMatchObject([{ result: "HEALTHY", details: { action: "resubscribe", ok: true } }]);
    expect(await activities(n, "connection.resubscribed")).toHaveLength(1);
    expect(await state(n)).toMatchObject({ webhookSubscribed: true, status: "ACTIVE" });

    // Meta delivers again: the next pass has nothing to repair.
    expect((await monitor()).summary).toMatchObject({ healthy: 1, reconnected: 0 });
  });

  it("a failed re-subscribe is recorded and counts the connection offline", async () => {
    const n = await ownedNumber();
    sim().setSubscribed(n.wabaId, false);
    sim().script({ method: "POST", pathPattern: "/subscribed_apps$", error: { code: 100 } });
    const result = await monitor();
    expect(result.summary).toMatchObject({ warning: 1, reconnected: 0, resubscribeFailed: 1 });
    expect(await checks(n, "subscription")).toMatchObject([{ result: "ERROR", errorCode: 100, details: { ok: false } }]);
    expect(await activities(n, "connection.resubscribe_failed")).toHaveLength(1);
    const c = await state(n);
    expect(c).toMatchObject({ status: "DISCONNECTED", healthStatus: "WARNING", webhookSubscribed: false });
    expect(c.healthReason).toContain("not subscribed");
  });
});

describe("connection-monitor: an incident from offline to Critical to recovery", () => {
  it("Warning, then Critical with one email, then Healthy with one recovery email; every transition recorded", async () => {
    const n = await ownedNumber();
    await monitor(); // first seen online

    sim().setNumber(n.phoneNumberId, { status: "BLOCKED", canSendMessage: "BLOCKED" });
    const offline = await monitor();
    expect(offline.summary).toMatchObject({ warning: 1, notified: 0 });
    let c = await state(n);
    expect(c).toMatchObject({ status: "DISCONNECTED", healthStatus: "WARNING", numberStatus: "BLOCKED" });
    expect(c.offlineSince).not.toBeNull();
    expect(c.lastDisconnectedAt).toEqual(c.offlineSince);
    expect(c.healthReason).toContain("BLOCKED");
    expect(await activities(n, "connection.offline")).toHaveLength(1);
    expect(await emails(n)).toHaveLength(0);

    // Still offline a little later: still Warning, still no email, no new transition.
    expect((await monitor()).summary).toMatchObject({ warning: 1, notified: 0 });
    expect(await transitions(n)).toHaveLength(2);

    await moveOfflineSinceBack(n, 7 * HOUR);
    const critical = await monitor();
    expect(critical.summary).toMatchObject({ critical: 1, notified: 1 });
    c = await state(n);
    expect(c).toMatchObject({ status: "DISCONNECTED", healthStatus: "CRITICAL" });
    expect(c.lastAlertedAt).not.toBeNull();
    expect(await activities(n, "connection.critical")).toHaveLength(1);
    const [alert] = await emails(n);
    expect(alert).toMatchObject({ status: "OUTBOX", to: `owner-${n.phoneNumberId}@example.test` });
    // What the owner needs to act: the number, why it is offline, for how long.
    expect(alert!.text).toContain("+1 555 010 2000");
    expect(alert!.text).toContain("BLOCKED");
    expect(alert!.text).toContain("7 hours");

    // Critical on the next passes too, but the owners heard about this incident already.
    expect((await monitor()).summary).toMatchObject({ critical: 1, notified: 0 });
    expect(await emails(n)).toHaveLength(1);

    sim().setNumber(n.phoneNumberId, { status: "CONNECTED", canSendMessage: "AVAILABLE" });
    const back = await monitor();
    expect(back.summary).toMatchObject({ healthy: 1, notified: 1 });
    c = await state(n);
    expect(c).toMatchObject({ status: "ACTIVE", healthStatus: "HEALTHY", offlineSince: null, healthReason: null });
    expect(await activities(n, "connection.recovered")).toHaveLength(1);
    const all = await emails(n);
    expect(all).toHaveLength(2);
    expect(all[1]!.subject).not.toEqual(all[0]!.subject);
    expect((await transitions(n)).map((t) => t.online)).toEqual([true, false, true]);

    // A quiet pass afterwards: nothing new.
    expect((await monitor()).summary).toMatchObject({ healthy: 1, notified: 0 });
    expect(await emails(n)).toHaveLength(2);
  });

  it("recovery from a Warning incident (never Critical) sends no email", async () => {
    const n = await ownedNumber();
    await monitor();
    sim().setNumber(n.phoneNumberId, { canSendMessage: "BLOCKED" });
    await monitor();
    sim().setNumber(n.phoneNumberId, { canSendMessage: "AVAILABLE" });
    expect((await monitor()).summary).toMatchObject({ healthy: 1, notified: 0 });
    expect(await activities(n, "connection.recovered")).toHaveLength(1);
    expect(await emails(n)).toHaveLength(0);
  });

  it("an offline number seen for the first time opens an incident at once", async () => {
    const n = await ownedNumber();
    sim().setNumber(n.phoneNumberId, { status: "DISCONNECTED" });
    expect((await monitor()).summary).toMatchObject({ warning: 1 });
    expect(await transitions(n)).toMatchObject([{ online: false, reason: expect.stringContaining("DISCONNECTED") }]);
    expect(await state(n)).toMatchObject({ status: "DISCONNECTED", lastConnectedAt: null });
  });
});

describe("connection-monitor: errors from Graph", () => {
  it.each([
    ["throttled 80007", { code: 80007 }],
    ["throttled 130429", { code: 130429 }],
    ["transient 2 (HTTP 503)", { code: 2 }],
  ])("%s on an online number: recorded, no verdict, no flip", async (_label, error) => {
    const n = await ownedNumber();
    await monitor();
    sim().script({ phoneNumberId: n.phoneNumberId, error });
    const result = await monitor();
    expect(result.summary).toMatchObject({ transient: 1, healthy: 1, warning: 0 });
    expect(await state(n)).toMatchObject({ status: "ACTIVE", healthStatus: "HEALTHY", offlineSince: null });
    expect(await transitions(n)).toHaveLength(1);
    expect((await checks(n, "number")).at(-1)).toMatchObject({ result: "UNKNOWN", errorCode: error.code });
  });

  it("no verdict on a number never seen before: Unknown, and no transition invented", async () => {
    const n = await ownedNumber();
    sim().script({ wabaId: n.wabaId, error: { code: 4 } });
    const result = await monitor();
    expect(result.summary).toMatchObject({ total: 1, unknown: 1, transient: 1 });
    expect(await transitions(n)).toHaveLength(0);
    expect(await state(n)).toMatchObject({ status: "ACTIVE", healthStatus: "UNKNOWN", numberStatus: "CONNECTED", webhookSubscribed: null });
  });

  it("a transient failure during an incident does not end it, and the incident still escalates", async () => {
    const n = await ownedNumber();
    await monitor();
    sim().setNumber(n.phoneNumberId, { status: "BANNED", canSendMessage: "BLOCKED" });
    await monitor();
    await moveOfflineSinceBack(n, 7 * HOUR);
    sim().setNumber(n.phoneNumberId, { status: "CONNECTED", canSendMessage: "AVAILABLE" });
    sim().script({ phoneNumberId: n.phoneNumberId, error: { code: 131016 } });
    const result = await monitor();
    expect(result.summary).toMatchObject({ transient: 1, critical: 1, notified: 1 });
    expect(await state(n)).toMatchObject({ status: "DISCONNECTED", healthStatus: "CRITICAL" });
    expect((await transitions(n)).map((t) => t.online)).toEqual([true, false]);
  });

  it("an auth error counts the connection offline but leaves the token to the health check", async () => {
    const n = await ownedNumber();
    await monitor();
    sim().setTokenInvalid(n.token, 190);
    const result = await monitor();
    expect(result.summary).toMatchObject({ warning: 1 });
    const c = await state(n);
    expect(c).toMatchObject({ status: "DISCONNECTED", healthStatus: "WARNING" });
    expect(c.token!.isValid).toBe(true);
    expect(c.healthReason).toContain("token was rejected");
    // No re-subscribe attempt with a token Meta has just rejected.
    expect(sim().requests().some((r) => r.method === "POST")).toBe(false);
  });

  it("skips connections whose token is invalid, INVALID or REMOVED ones", async () => {
    const invalidToken = await ownedNumber();
    const token = await state(invalidToken);
    await prisma.accessToken.update({ where: { id: token.tokenId! }, data: { isValid: false } });
    const invalid = await ownedNumber();
    await prisma.whatsAppConnection.update({ where: { id: invalid.connectionId }, data: { status: "INVALID" } });
    expect((await monitor()).summary.total).toBe(0);
    expect(sim().stats().totalRequests).toBe(0);
  });
});

describe("connection-monitor: time budget", () => {
  it("a spent budget saves the cursor; the next call finishes the sweep, each connection monitored once", async () => {
    const numbers = await Promise.all(Array.from({ length: 5 }, () => connectTestNumber()));
    const first = await monitor({ deadline: Date.now() - 1 });
    expect(first).toMatchObject({ hasMore: true, summary: { total: 0 }, cursor: { afterId: null } });
    const second = await monitor({ cursor: first.cursor });
    expect(second).toMatchObject({ hasMore: false, summary: { total: 5, healthy: 5 }, cursor: null });
    const rows = await prisma.healthCheck.count({ where: { kind: "number", connectionId: { in: numbers.map((n) => n.connectionId) } } });
    expect(rows).toBe(5);
  });
});

describe("computeUptime", () => {
  it("the online share per window from the recorded transitions", async () => {
    const n = await connectTestNumber();
    const now = new Date("2026-03-31T12:00:00Z");
    const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
    // Online since 10 days ago; offline 48 h ago for 12 h; offline again 6 h ago for 3 h.
    await prisma.connectionTransition.createMany({
      data: [
        { connectionId: n.connectionId, online: true, at: ago(240) },
        { connectionId: n.connectionId, online: false, at: ago(48) },
        { connectionId: n.connectionId, online: true, at: ago(36) },
        { connectionId: n.connectionId, online: false, at: ago(6) },
        { connectionId: n.connectionId, online: true, at: ago(3) },
      ],
    });
    const [day, week, month] = await computeUptime({ connectionId: n.connectionId, now });
    expect(day).toMatchObject({ window: "24h", fraction: 21 / 24, knownMs: 24 * HOUR });
    expect(week).toMatchObject({ window: "7d", fraction: (168 - 15) / 168 });
    // The first 20 of the 30 days are before the first transition: not counted.
    expect(month).toMatchObject({ window: "30d", knownMs: 240 * HOUR, fraction: (240 - 15) / 240 });
  });

  it("is null for a connection never monitored, and works from what the monitor records", async () => {
    const n = await connectTestNumber();
    expect((await computeUptime({ connectionId: n.connectionId, windows: ["24h"] }))[0]!.fraction).toBeNull();
    await monitor();
    const [day] = await computeUptime({ connectionId: n.connectionId, windows: ["24h"], now: new Date(Date.now() + HOUR) });
    expect(day!.fraction).toBe(1);
  });
});
