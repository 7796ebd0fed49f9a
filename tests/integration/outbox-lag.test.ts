import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OutboundState } from "@/lib/generated/prisma/client";

// The outbox's lag as /api/health and /api/metrics report it (OUTBOX_LAG_DEGRADED_SECONDS at its default, 120):
// only sends that are due count; one waiting on purpose (backoff, pacing, a token to fix) is not lag.
process.env.METRICS_TOKEN = randomBytes(24).toString("hex");
const { GET: health } = await import("@/app/api/health/route");
const { GET: metrics } = await import("@/app/api/metrics/route");
const { prisma } = await import("@/lib/db/client");
const { forgetMetricsSnapshot } = await import("@/lib/metrics/render-metrics");
const { getOutboxLag } = await import("@/lib/outbound/get-outbox-lag");
const { connectTestNumber } = await import("@/tests/helpers/webhook-harness");

const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000);

async function sendRow(state: OutboundState, nextAttemptAt: Date | null): Promise<string> {
  const number = await connectTestNumber();
  const row = await prisma.outboundMessage.create({
    data: { workspaceId: number.workspaceId, connectionId: number.connectionId, contactId: "c", conversationId: "v", to: "15550001111", type: "text", body: { body: "hi" }, state, nextAttemptAt },
    select: { id: true },
  });
  return row.id;
}

async function healthBody() {
  const res = await health(new Request("http://localhost/api/health"));
  expect(res.status).toBe(200);
  return res.json();
}

async function oldestDueGauge(): Promise<number> {
  forgetMetricsSnapshot();
  const res = await metrics(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${process.env.METRICS_TOKEN}` } }));
  const line = (await res.text()).split("\n").find((l) => l.startsWith("whatrack_outbound_oldest_due_seconds "));
  return Number(line?.split(" ")[1]);
}

describe("outbox lag", () => {
  it("counts queued, due, sending and dead, and ages only the due sends", async () => {
    expect(await getOutboxLag()).toEqual({ queued: 0, due: 0, sending: 0, oldestDueSeconds: 0, dead: 0 });
    const rows = [
      await sendRow("QUEUED", secondsFromNow(-600)),
      await sendRow("QUEUED", secondsFromNow(-5)),
      await sendRow("QUEUED", secondsFromNow(900)), // a backoff or a token to fix: waiting on purpose
      await sendRow("SENDING", secondsFromNow(30)),
      await sendRow("DEAD", null),
      await sendRow("SENT", null),
    ];
    const lag = await getOutboxLag();
    expect(lag).toMatchObject({ queued: 3, due: 2, sending: 1, dead: 1 });
    expect(lag.oldestDueSeconds).toBeGreaterThanOrEqual(600);
    expect(lag.oldestDueSeconds).toBeLessThan(630);
    expect(await oldestDueGauge()).toBeGreaterThanOrEqual(600);
    await prisma.outboundMessage.deleteMany({ where: { id: { in: rows } } });
  });

  it("makes health degraded, still 200, while a due send waits past the threshold; a send waiting on purpose does not", async () => {
    const overdue = await sendRow("QUEUED", secondsFromNow(-300));
    await sendRow("QUEUED", secondsFromNow(3_600));
    const lagging = await healthBody();
    expect(lagging).toMatchObject({ status: "degraded", inbox: { status: "ok" }, outbox: { status: "lagging", queued: 2, due: 1, degradedAfterSeconds: 120 } });
    expect(lagging.outbox.oldestDueSeconds).toBeGreaterThanOrEqual(300);
    // Figures only: no ids, errors or workspace names.
    expect(Object.keys(lagging.outbox).sort()).toEqual(["dead", "degradedAfterSeconds", "due", "oldestDueSeconds", "queued", "sending", "status"]);

    // Sent: only the send due in an hour is left, and that is not lag.
    await prisma.outboundMessage.update({ where: { id: overdue }, data: { state: "SENT", nextAttemptAt: null } });
    expect(await healthBody()).toMatchObject({ status: "ok", outbox: { status: "ok", queued: 1, due: 0, oldestDueSeconds: 0 } });
    expect(await oldestDueGauge()).toBe(0);
  });
});
