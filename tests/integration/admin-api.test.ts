import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { prisma } from "@/lib/db/client";
import { mintAdminToken } from "@/lib/auth/admin-token";
import { GET as cronStatus } from "@/app/api/v1/cron/status/route";
import { POST as trigger } from "@/app/api/v1/cron/trigger/[job]/route";
import { POST as stop } from "@/app/api/v1/cron/stop/[job]/route";
import { POST as start } from "@/app/api/v1/cron/start/[job]/route";
import { GET as healthStats } from "@/app/api/v1/cron/health-check/stats/route";
import { POST as replay } from "@/app/api/v1/webhook-events/[id]/replay/route";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { textMessage } from "@/sim/webhook-payloads";
import { callJob } from "@/tests/helpers/job-routes";
import { connectTestNumber, deliveryFor } from "@/tests/helpers/webhook-harness";

const req = (path: string, token?: string, method = "POST") =>
  new Request(`http://localhost${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
const params = <P>(p: P) => ({ params: Promise.resolve(p) });

describe("admin API", () => {
  it("refuses calls without a valid system:manage token", async () => {
    expect((await cronStatus(req("/api/v1/cron/status", undefined, "GET"), params({}))).status).toBe(401);
    expect((await cronStatus(req("/api/v1/cron/status", "not-a-jwt", "GET"), params({}))).status).toBe(401);
    const noPermission = await mintAdminToken({ subject: "viewer@example.com", permissions: ["messages:read"] });
    expect((await cronStatus(req("/api/v1/cron/status", noPermission, "GET"), params({}))).status).toBe(403);
    // signed with another key, or with alg none: refused
    const forged = await new SignJWT({ perms: ["system:manage"] }).setProtectedHeader({ alg: "HS256" }).setSubject("x").setIssuer("whatrack").setAudience("whatrack:admin-api").setExpirationTime("1h").sign(new TextEncoder().encode("x".repeat(40)));
    expect((await cronStatus(req("/api/v1/cron/status", forged, "GET"), params({}))).status).toBe(401);
    const expired = await new SignJWT({ perms: ["system:manage"] }).setProtectedHeader({ alg: "HS256" }).setSubject("x").setIssuer("whatrack").setAudience("whatrack:admin-api").setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode(process.env.SESSION_SECRET!));
    expect((await cronStatus(req("/api/v1/cron/status", expired, "GET"), params({}))).status).toBe(401);
  });

  it("status lists every job with its schedule, time zone and next run", async () => {
    const token = await mintAdminToken({ subject: "ops@example.com" });
    const res = await cronStatus(req("/api/v1/cron/status", token, "GET"), params({}));
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(Object.keys(data).sort()).toEqual(["connection-monitor", "data-retention", "template-sync", "webhook-retry", "whatsapp-health-check"]);
    expect(data["whatsapp-health-check"]).toMatchObject({ schedule: "0 3 * * *", timeZone: "Asia/Jerusalem", paused: false, running: false });
  });

  it("trigger, stop and start are audit-logged with who did it; a stopped job's cron calls are skipped", async () => {
    const token = await mintAdminToken({ subject: "ops@example.com" });
    const triggered = await trigger(req("/api/v1/cron/trigger/data-retention", token), params({ job: "data-retention" }));
    expect(triggered.status).toBe(200);
    expect(await triggered.json()).toMatchObject({ success: true, jobId: "data-retention" });
    const run = await prisma.jobRun.findFirstOrThrow({ where: { job: "data-retention" }, orderBy: { startedAt: "desc" } });
    expect(run).toMatchObject({ trigger: "manual", triggeredBy: "ops@example.com", status: "SUCCEEDED" });

    expect((await stop(req("/api/v1/cron/stop/data-retention", token), params({ job: "data-retention" }))).status).toBe(200);
    expect(await (await callJob("data-retention")).json()).toMatchObject({ skipped: true });
    expect((await start(req("/api/v1/cron/start/data-retention", token), params({ job: "data-retention" }))).status).toBe(200);
    const resumed = await (await callJob("data-retention")).json();
    expect(resumed).toMatchObject({ success: true, message: expect.stringMatching(/^Pruned/) });
    expect(resumed.skipped).toBeUndefined();

    const audit = await prisma.auditLog.findMany({ orderBy: { createdAt: "asc" }, where: { target: "data-retention" } });
    expect(audit.map((a) => [a.actor, a.action])).toEqual([
      ["ops@example.com", "job.trigger"],
      ["ops@example.com", "job.stop"],
      ["ops@example.com", "job.start"],
    ]);
    expect((await trigger(req("/api/v1/cron/trigger/nope", token), params({ job: "nope" }))).status).toBe(404);
  });

  it("health-check stats count connections by health and connection status", async () => {
    const a = await connectTestNumber();
    await connectTestNumber();
    await prisma.whatsAppConnection.update({ where: { id: a.connectionId }, data: { healthStatus: "CRITICAL", status: "DISCONNECTED" } });
    const token = await mintAdminToken({ subject: "ops@example.com" });
    const { data } = await (await healthStats(req("/api/v1/cron/health-check/stats", token, "GET"), params({}))).json();
    expect(data).toEqual(expect.arrayContaining([expect.objectContaining({ healthStatus: "CRITICAL", connectionStatus: "DISCONNECTED", count: 1 })]));
  });

  it("replays a failed delivery, and refuses one that is not failed", async () => {
    const number = await connectTestNumber();
    const stored = await storeWebhookEvent(Buffer.from(deliveryFor({ ...number, phoneNumberId: "404404404404404" }, { messages: [textMessage()] })));
    const { processWebhookEvent } = await import("@/lib/webhooks/process-webhook-event");
    expect(await processWebhookEvent(stored.id)).toBe("unroutable");
    await prisma.whatsAppConnection.update({ where: { id: number.connectionId }, data: { phoneNumberId: "404404404404404" } });
    const token = await mintAdminToken({ subject: "ops@example.com" });
    const res = await replay(req(`/api/v1/webhook-events/${stored.id}/replay`, token), params({ id: stored.id }));
    expect(await res.json()).toMatchObject({ success: true, data: { result: "processed", state: "PROCESSED" } });
    const again = await replay(req(`/api/v1/webhook-events/${stored.id}/replay`, token), params({ id: stored.id }));
    expect(again.status).toBe(409);
    expect((await replay(req("/api/v1/webhook-events/missing/replay", token), params({ id: "missing" }))).status).toBe(404);
  });
});
