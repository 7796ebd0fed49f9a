import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";

// /api/metrics: Prometheus text computed from the database at scrape time, behind METRICS_TOKEN.
process.env.METRICS_TOKEN = randomBytes(24).toString("hex");
const { GET } = await import("@/app/api/metrics/route");
const { prisma } = await import("@/lib/db/client");
const { forgetMetricsSnapshot } = await import("@/lib/metrics/render-metrics");
const { storeWebhookEvent } = await import("@/lib/webhooks/store-webhook-event");
const { connectTestNumber } = await import("@/tests/helpers/webhook-harness");

function scrape(token: string | null = process.env.METRICS_TOKEN!): Promise<Response> {
  const headers = new Headers(token === null ? {} : { authorization: `Bearer ${token}` });
  return GET(new Request("http://localhost/api/metrics", { headers }));
}

/** The value of one sample, e.g. value(text, 'whatrack_webhook_backlog{state="PENDING"}'); null when absent. */
function value(text: string, sample: string): number | null {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? null : Number(line.slice(sample.length + 1));
}

async function metrics(): Promise<string> {
  forgetMetricsSnapshot();
  const res = await scrape();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

beforeEach(() => forgetMetricsSnapshot());

describe("GET /api/metrics", () => {
  it("refuses a scrape without the token or with a wrong one, and says how to authenticate", async () => {
    for (const token of [null, "wrong", `${process.env.METRICS_TOKEN}x`]) {
      const res = await scrape(token);
      expect(res.status).toBe(401);
      expect((await res.json()).error).toEqual({ code: "unauthorized", message: expect.stringMatching(/METRICS_TOKEN/) });
    }
  });

  it("counts stored deliveries as they arrive, and reports the instance's own process metrics", async () => {
    const before = await metrics();
    const pending = value(before, 'whatrack_webhook_backlog{state="PENDING"}') ?? 0;
    await storeWebhookEvent(Buffer.from(JSON.stringify({ object: "whatsapp_business_account", entry: [], nonce: randomBytes(8).toString("hex") })));
    await storeWebhookEvent(Buffer.from(JSON.stringify({ object: "whatsapp_business_account", entry: [], nonce: randomBytes(8).toString("hex") })));
    const after = await metrics();
    expect(value(after, 'whatrack_webhook_backlog{state="PENDING"}')).toBe(pending + 2);
    expect(value(after, "whatrack_webhook_oldest_pending_seconds")).toBeGreaterThanOrEqual(0);
    expect(value(after, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("follows connections, their tokens' expiry, job runs and emails", async () => {
    const number = await connectTestNumber();
    const healthy = 'whatrack_connections{health="unknown",status="active"}';
    const connectionsBefore = value(await metrics(), healthy) ?? 0;
    const other = await connectTestNumber();
    expect(value(await metrics(), healthy)).toBe(connectionsBefore + 1);

    // Sooner than any other test's token: this one is the soonest.
    const connection = await prisma.whatsAppConnection.findUniqueOrThrow({ where: { id: other.connectionId } });
    await prisma.accessToken.update({ where: { id: connection.tokenId! }, data: { expiresAt: new Date(Date.now() - 3_600_000) } });
    const expiry = value(await metrics(), "whatrack_token_expiry_seconds");
    expect(expiry).toBeLessThanOrEqual(-3_500);
    expect(expiry).toBeGreaterThan(-3_700);

    const job = `metrics-test-${randomBytes(4).toString("hex")}`;
    await prisma.job.create({ data: { name: job } });
    const startedAt = new Date(Date.now() - 65_000);
    const finishedAt = new Date(Date.now() - 5_000);
    await prisma.jobRun.create({ data: { job, trigger: "manual", status: "SUCCEEDED", startedAt, finishedAt } });
    await prisma.jobRun.create({ data: { job, trigger: "manual", status: "FAILED", startedAt: new Date(Date.now() - 4_000), finishedAt: new Date(Date.now() - 3_000) } });
    const text = await metrics();
    expect(value(text, `whatrack_job_last_success_timestamp_seconds{job="${job}"}`)).toBeCloseTo(finishedAt.getTime() / 1000, 0);
    // The last finished run is the failed one (1 s), not the last success (60 s).
    expect(value(text, `whatrack_job_last_duration_seconds{job="${job}"}`)).toBeCloseTo(1, 1);
    expect(value(text, `whatrack_job_runs_total{job="${job}",outcome="succeeded"}`)).toBe(1);
    expect(value(text, `whatrack_job_runs_total{job="${job}",outcome="failed"}`)).toBe(1);

    const outbox = value(text, 'whatrack_emails{status="outbox"}') ?? 0;
    await prisma.emailMessage.create({ data: { workspaceId: number.workspaceId, to: "owner@example.test", subject: "s", html: "<p>h</p>", text: "t", status: "OUTBOX" } });
    expect(value(await metrics(), 'whatrack_emails{status="outbox"}')).toBe(outbox + 1);
  });

  it("serves scrapes within a few seconds from one snapshot", async () => {
    const first = await (await scrape()).text();
    await storeWebhookEvent(Buffer.from(JSON.stringify({ object: "whatsapp_business_account", entry: [], nonce: randomBytes(8).toString("hex") })));
    const second = await (await scrape()).text();
    expect(value(second, 'whatrack_webhook_backlog{state="PENDING"}')).toBe(value(first, 'whatrack_webhook_backlog{state="PENDING"}'));
  });
});
