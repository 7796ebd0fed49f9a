import { beforeEach, describe, expect, it, vi } from "vitest";

// env is parsed when lib/env is first imported: set what this file tests before any import runs.
// META_APP_ID (with the test run's WHATSAPP_APP_SECRET) makes the sweep use debug_token; the low rate cap
// is what the peak-rate test holds the sweep to.
const RATE = vi.hoisted(() => {
  process.env.META_APP_ID = "1234567890123456";
  process.env.HEALTH_CHECK_RATE_PER_SECOND = "20";
  // Fewer in flight than connections, so a short deadline really cuts a sweep of 60.
  process.env.HEALTH_CHECK_CONCURRENCY = "25";
  return 20;
});

import { prisma } from "@/lib/db/client";
import { checkTokenHealth } from "@/lib/health/check-token-health";
import { runHealthSweep } from "@/lib/health/run-health-sweep";
import { connectTestNumber, graphSimulator, type TestNumber } from "@/tests/helpers/webhook-harness";
import { testJobContext } from "@/tests/helpers/job-context";
import { ownedNumber, retireOtherNumbers } from "@/tests/helpers/owned-number";

const sim = () => graphSimulator().control;

beforeEach(async () => {
  sim().reset();
  // Each test sweeps only the connections it creates.
  await retireOtherNumbers();
});

async function sweep(options: { deadline?: number; cursor?: unknown } = {}) {
  const ctx = testJobContext(options);
  const result = await runHealthSweep(ctx);
  const count = (key: string) => result.summary[key] ?? 0;
  return { ...result, count, cursor: ctx.savedCursor() };
}

const state = (n: TestNumber) =>
  prisma.whatsAppConnection.findUniqueOrThrow({ where: { id: n.connectionId }, include: { token: true } });
const checks = (n: TestNumber) => prisma.healthCheck.findMany({ where: { connectionId: n.connectionId, kind: "token" }, orderBy: { checkedAt: "asc" } });
const emails = (n: TestNumber) => prisma.emailMessage.findMany({ where: { workspaceId: n.workspaceId } });
const activities = (n: TestNumber, type: string) => prisma.activityEvent.findMany({ where: { connectionId: n.connectionId, type } });

describe("whatsapp-health-check: one connection's outcomes (debug_token)", () => {
  it("a valid token: healthy, a health row with latency, the sweep finished and its cursor cleared", async () => {
    const n = await ownedNumber();
    const result = await sweep();
    expect(result.hasMore).toBe(false);
    expect(result.summary).toMatchObject({ total: 1, healthy: 1, warning: 0, error: 0, transient: 0, notified: 0 });
    expect(result.cursor).toBeNull();
    const [check] = await checks(n);
    expect(check).toMatchObject({ result: "HEALTHY", errorCode: null, details: { method: "debug_token" } });
    expect(check!.latencyMs).toBeGreaterThanOrEqual(0);
    const c = await state(n);
    expect(c).toMatchObject({ status: "ACTIVE", healthStatus: "HEALTHY" });
    expect(c.token!.isValid).toBe(true);
    expect(c.token!.lastValidatedAt).not.toBeNull();
    expect(sim().requests().map((r) => r.endpoint)).toEqual(["GET /debug_token"]);
  });

  it("190: token invalid in the vault, connection INVALID, one activity and one email — also on the next sweep", async () => {
    const n = await ownedNumber();
    sim().setTokenInvalid(n.token, 190, 463);
    const first = await sweep();
    expect(first.summary).toMatchObject({ total: 1, error: 1, notified: 1 });
    const c = await state(n);
    expect(c).toMatchObject({ status: "INVALID", healthStatus: "ERROR" });
    expect(c.token).toMatchObject({ isValid: false, invalidReason: expect.stringContaining("190/463") });
    expect(c.token!.invalidReason).toContain("expired");
    expect(c.token!.invalidAt).not.toBeNull();
    expect((await checks(n))[0]).toMatchObject({ result: "ERROR", errorCode: 190 });

    const second = await sweep();
    expect(second.summary).toMatchObject({ total: 1, error: 1, notified: 0 });
    expect((await state(n)).token!.invalidAt).toEqual(c.token!.invalidAt);
    expect(await activities(n, "token.invalid")).toHaveLength(1);
    const sent = await emails(n);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: "OUTBOX", to: `owner-${n.phoneNumberId}@example.test` });
  });

  it("a DISCONNECTED connection (the monitor saw the token rejected) is checked and marked INVALID", async () => {
    const n = await ownedNumber();
    await prisma.whatsAppConnection.update({ where: { id: n.connectionId }, data: { status: "DISCONNECTED", healthStatus: "WARNING", offlineSince: new Date() } });
    sim().setTokenInvalid(n.token);
    expect((await sweep()).summary).toMatchObject({ total: 1, error: 1, notified: 1 });
    expect(await state(n)).toMatchObject({ status: "INVALID", healthStatus: "ERROR", token: { isValid: false } });
  });

  it("a token that validates again recovers: valid in the vault, connection ACTIVE and HEALTHY", async () => {
    const n = await ownedNumber();
    sim().setTokenInvalid(n.token);
    await sweep();
    sim().reset();
    const result = await sweep();
    expect(result.summary).toMatchObject({ healthy: 1, recovered: 1 });
    const c = await state(n);
    expect(c).toMatchObject({ status: "ACTIVE", healthStatus: "HEALTHY" });
    expect(c.token).toMatchObject({ isValid: true, invalidReason: null, invalidAt: null });
    expect(await activities(n, "token.recovered")).toHaveLength(1);
  });

  it.each([
    ["throttled 130429", { error: { code: 130429 } }, 130429],
    ["throttled 80007", { error: { code: 80007 } }, 80007],
    ["transient 2 (HTTP 503)", { error: { code: 2 } }, 2],
    ["a bare HTTP 502", { response: { httpStatus: 502, body: "<html>Bad Gateway</html>" } }, null],
  ] as const)("%s never invalidates the token: the check is recorded, the connection left alone", async (_label, outcome, code) => {
    const n = await ownedNumber();
    sim().script({ pathPattern: "^/debug_token$", ...outcome });
    const result = await sweep();
    expect(result.summary).toMatchObject({ total: 1, transient: 1, error: 0, notified: 0 });
    const c = await state(n);
    expect(c).toMatchObject({ status: "ACTIVE", healthStatus: "UNKNOWN" });
    expect(c.token!.isValid).toBe(true);
    expect((await checks(n))[0]).toMatchObject({ result: "UNKNOWN", errorCode: code });
    expect(await emails(n)).toHaveLength(0);
  });

  it("a transient failure leaves an INVALID connection INVALID (no recovery without a verdict)", async () => {
    const n = await ownedNumber();
    sim().setTokenInvalid(n.token);
    await sweep();
    sim().reset();
    sim().script({ pathPattern: "^/debug_token$", error: { code: 1 } });
    expect((await sweep()).summary).toMatchObject({ transient: 1 });
    expect(await state(n)).toMatchObject({ status: "INVALID", healthStatus: "ERROR" });
  });

  it("expiring in 3 days: warning, expiry stored, one activity and one email however often the sweep runs", async () => {
    const n = await ownedNumber();
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + 3 * 86_400) * 1000);
    sim().setTokenExpiry(n.token, expiresAt);
    const first = await sweep();
    expect(first.summary).toMatchObject({ warning: 1, notified: 1 });
    const c = await state(n);
    expect(c).toMatchObject({ status: "ACTIVE", healthStatus: "WARNING" });
    expect(c.token!.expiresAt).toEqual(expiresAt);
    expect((await checks(n))[0]).toMatchObject({ result: "WARNING" });

    const second = await sweep();
    expect(second.summary).toMatchObject({ warning: 1, notified: 0 });
    expect(await activities(n, "token.expiring")).toHaveLength(1);
    expect(await emails(n)).toHaveLength(1);
  });

  it("a token expiring in 30 days is healthy", async () => {
    const n = await ownedNumber();
    sim().setTokenExpiry(n.token, new Date(Date.now() + 30 * 86_400_000));
    expect((await sweep()).summary).toMatchObject({ healthy: 1, warning: 0 });
    expect(await emails(n)).toHaveLength(0);
  });

  it("an app token Meta rejects is our misconfiguration: the tenant's token is probed instead, never blamed", async () => {
    const n = await ownedNumber();
    sim().script({ pathPattern: "^/debug_token$", error: { code: 190 } });
    const result = await sweep();
    expect(result.summary).toMatchObject({ healthy: 1, error: 0 });
    expect((await state(n)).token!.isValid).toBe(true);
    expect((await checks(n))[0]).toMatchObject({ result: "HEALTHY", details: { method: "phone_number" } });
  });

  it("REMOVED connections and connections without a token are not checked", async () => {
    const removed = await ownedNumber();
    await prisma.whatsAppConnection.update({ where: { id: removed.connectionId }, data: { status: "REMOVED" } });
    const tokenless = await ownedNumber();
    await prisma.whatsAppConnection.update({ where: { id: tokenless.connectionId }, data: { tokenId: null } });
    expect((await sweep()).summary.total).toBe(0);
    expect(sim().stats().totalRequests).toBe(0);
  });
});

describe("checkTokenHealth with the phone-number probe (no META_APP_ID)", () => {
  it("healthy with the tenant's own token", async () => {
    const n = await ownedNumber();
    expect(await checkTokenHealth(n.connectionId, { appToken: null })).toEqual({ healthy: 1 });
    expect(sim().requests()[0]).toMatchObject({ endpoint: "GET /{phone-number-id}", phoneNumberId: n.phoneNumberId });
  });

  it("190 marks the token invalid and tells the owners once", async () => {
    const n = await ownedNumber();
    sim().setTokenInvalid(n.token, 190);
    expect(await checkTokenHealth(n.connectionId, { appToken: null })).toEqual({ error: 1, notified: 1 });
    expect(await checkTokenHealth(n.connectionId, { appToken: null })).toEqual({ error: 1 });
    expect(await state(n)).toMatchObject({ status: "INVALID", token: { isValid: false } });
    expect((await checks(n))[0]).toMatchObject({ errorCode: 190, details: { method: "phone_number" } });
    expect(await emails(n)).toHaveLength(1);
  });

  it.each([10, 200, 131005])("auth code %i also invalidates the token", async (code) => {
    const n = await ownedNumber();
    sim().script({ token: n.token, error: { code } });
    expect(await checkTokenHealth(n.connectionId, { appToken: null })).toMatchObject({ error: 1 });
    expect((await state(n)).token!.isValid).toBe(false);
  });

  it.each([130429, 4, 131016, 133004])("code %i does not", async (code) => {
    const n = await ownedNumber();
    sim().script({ token: n.token, error: { code } });
    expect(await checkTokenHealth(n.connectionId, { appToken: null })).toEqual({ transient: 1 });
    expect(await state(n)).toMatchObject({ status: "ACTIVE", token: { isValid: true } });
  });

  it("a permanent non-auth error (the number is out of the token's reach) warns without invalidating", async () => {
    const n = await ownedNumber();
    sim().script({ token: n.token, error: { code: 100, subcode: 33 } });
    expect(await checkTokenHealth(n.connectionId, { appToken: null })).toEqual({ warning: 1 });
    expect(await state(n)).toMatchObject({ status: "ACTIVE", healthStatus: "WARNING", token: { isValid: true } });
  });
});

describe("whatsapp-health-check: sweeping many connections", () => {
  it("a deadline cuts the sweep (hasMore, cursor saved); the next call resumes and every connection is checked exactly once", async () => {
    const numbers = await Promise.all(Array.from({ length: 60 }, () => connectTestNumber()));
    const first = await sweep({ deadline: Date.now() + 500 });
    expect(first.hasMore).toBe(true);
    expect(first.summary.total).toBeGreaterThan(0);
    expect(first.summary.total).toBeLessThan(60);
    expect(first.cursor).toMatchObject({ sweepStartedAt: expect.any(String), afterId: expect.any(String) });

    const second = await sweep({ cursor: first.cursor });
    expect(second.hasMore).toBe(false);
    expect(second.cursor).toBeNull();
    expect(first.count("total") + second.count("total")).toBe(60);
    const perConnection = await prisma.healthCheck.groupBy({ by: ["connectionId"], where: { connectionId: { in: numbers.map((n) => n.connectionId) } }, _count: true });
    expect(perConnection).toHaveLength(60);
    expect(perConnection.every((g) => g._count === 1)).toBe(true);
  });

  it("two runs resuming the same cursor at once (a lock lost under a paused process) check each connection once", async () => {
    const numbers = await Promise.all(Array.from({ length: 30 }, () => connectTestNumber()));
    const cursor = { sweepStartedAt: new Date().toISOString(), afterId: null };
    const [a, b] = await Promise.all([sweep({ cursor }), sweep({ cursor })]);
    expect(a.count("total") + b.count("total")).toBe(30);
    expect(a.count("skipped") + b.count("skipped")).toBeGreaterThan(0);
    const rows = await prisma.healthCheck.count({ where: { connectionId: { in: numbers.map((n) => n.connectionId) } } });
    expect(rows).toBe(30);
  });

  it(`never sends Graph more than the configured ${RATE} requests per second`, async () => {
    await Promise.all(Array.from({ length: 60 }, () => connectTestNumber()));
    sim().setLatency(50);
    const started = Date.now();
    const result = await sweep();
    expect(result.summary).toMatchObject({ total: 60, healthy: 60 });
    const stats = sim().stats();
    expect(stats.totalRequests).toBe(60);
    expect(stats.peakPerSecond).toBeLessThanOrEqual(RATE);
    // …and uses the budget it has: 60 calls at 20 per (1 s + latency) is about three seconds, not 60 × sleeps.
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it("stops at once when the run loses its lock", async () => {
    await connectTestNumber();
    const ctx = testJobContext();
    ctx.abort(new Error("lock lost"));
    await expect(runHealthSweep(ctx)).rejects.toThrow("lock lost");
    expect(sim().stats().totalRequests).toBe(0);
  });
});
