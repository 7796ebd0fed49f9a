import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { prisma } from "@/lib/db/client";
import type { WebhookState } from "@/lib/generated/prisma/client";
import { getInboxLag } from "@/lib/webhooks/get-inbox-lag";

// The webhook inbox's backlog and lag, from the rows themselves, and as /api/health reports them
// (WEBHOOK_LAG_DEGRADED_SECONDS is at its default, 120).

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);

async function webhookRow(state: WebhookState, ageSeconds: number, nextAttemptAt: Date | null = null): Promise<string> {
  const row = await prisma.webhookEvent.create({
    data: { rawBody: Buffer.from("{}"), bodySha256: randomBytes(32).toString("hex"), signatureValid: true, state, receivedAt: secondsAgo(ageSeconds), nextAttemptAt },
    select: { id: true },
  });
  return row.id;
}

describe("inbox lag", () => {
  it("is zero for an empty inbox, and health is ok", async () => {
    expect(await getInboxLag()).toEqual({ backlog: 0, oldestPendingSeconds: 0, retrying: 0, dead: 0 });

    const res = await health(new Request("http://localhost/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      database: { status: "ok" },
      inbox: { status: "ok", backlog: 0, oldestPendingSeconds: 0, retrying: 0, dead: 0, degradedAfterSeconds: 120 },
    });
  });

  it("counts the backlog and ages it by its oldest row, PENDING or PROCESSING", async () => {
    const rows = [
      await webhookRow("PROCESSING", 1_200),
      await webhookRow("PENDING", 600, secondsAgo(600)),
      await webhookRow("PENDING", 5, secondsAgo(5)),
      await webhookRow("FAILED", 900, new Date(Date.now() + 60_000)), // retrying
      await webhookRow("FAILED", 3_000), // not retried automatically: neither backlog nor retrying
      await webhookRow("DEAD", 4_000),
      await webhookRow("DEAD", 5_000),
      await webhookRow("PROCESSED", 10_000),
    ];
    const lag = await getInboxLag();
    expect(lag).toMatchObject({ backlog: 3, retrying: 1, dead: 2 });
    expect(lag.oldestPendingSeconds).toBeGreaterThanOrEqual(1_200);
    expect(lag.oldestPendingSeconds).toBeLessThan(1_230);

    // Once the PROCESSING one is done, the oldest PENDING one sets the age.
    await prisma.webhookEvent.update({ where: { id: rows[0] }, data: { state: "PROCESSED" } });
    const after = await getInboxLag();
    expect(after.backlog).toBe(2);
    expect(after.oldestPendingSeconds).toBeGreaterThanOrEqual(600);
    expect(after.oldestPendingSeconds).toBeLessThan(630);
    await prisma.webhookEvent.deleteMany({ where: { id: { in: rows } } });
  });

  it("makes health degraded, still 200, while a delivery has waited past the threshold", async () => {
    const old = await webhookRow("PENDING", 300, secondsAgo(300));
    await webhookRow("PENDING", 10, secondsAgo(10));

    const lagging = await health(new Request("http://localhost/api/health"));
    expect(lagging.status).toBe(200);
    const body = await lagging.json();
    expect(body).toMatchObject({ status: "degraded", database: { status: "ok" }, lockStore: { status: "ok" }, inbox: { status: "lagging", backlog: 2, degradedAfterSeconds: 120 } });
    expect(body.inbox.oldestPendingSeconds).toBeGreaterThanOrEqual(300);
    // Figures only: no ids, errors or workspace names.
    expect(Object.keys(body.inbox).sort()).toEqual(["backlog", "dead", "degradedAfterSeconds", "oldestPendingSeconds", "retrying", "status"]);

    // Processed: only the 10-second-old one waits, under the threshold.
    await prisma.webhookEvent.update({ where: { id: old }, data: { state: "PROCESSED" } });
    const drained = await health(new Request("http://localhost/api/health"));
    expect(drained.status).toBe(200);
    expect(await drained.json()).toMatchObject({ status: "ok", inbox: { status: "ok", backlog: 1 } });
  });
});
