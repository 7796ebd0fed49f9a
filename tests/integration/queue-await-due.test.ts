import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { drainQueue } from "@/lib/queue/drain-queue";
import type { ClaimedRow, Outcome } from "@/lib/queue/queue-table";
import { inboxQueue } from "@/lib/webhooks/inbox-queue";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";

// drainQueue's awaitDueWithinMs: a row released a moment ahead (pacing) is taken by the same drain,
// not left for the next kick; one due later than the horizon is not waited for.

const handled: string[] = [];
const markDone = async (rows: ClaimedRow<object>[]): Promise<Outcome[]> => {
  handled.push(...rows.map((r) => r.id));
  return rows.map((r) => ({ id: r.id, kind: "done" }));
};

async function rowDueIn(ms: number): Promise<string> {
  const { id } = await storeWebhookEvent(Buffer.from(JSON.stringify({ object: "whatsapp_business_account", entry: [], n: Math.random() })));
  await prisma.$executeRaw`UPDATE "WebhookEvent" SET "nextAttemptAt" = now() + ${ms}::int * interval '1 millisecond' WHERE id = ${id}`;
  return id;
}

beforeEach(async () => {
  handled.length = 0;
  await prisma.webhookEvent.deleteMany({});
});

describe("a drain that awaits rows coming due", () => {
  it("takes a row due within the horizon and the budget, after it comes due", async () => {
    const id = await rowDueIn(600);
    const started = Date.now();
    const summary = await drainQueue(inboxQueue, markDone, { budgetMs: 5_000, batchSize: 10, awaitDueWithinMs: 2_000 });
    expect(handled).toEqual([id]);
    expect(summary.done).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).state).toBe("PROCESSED");
  });

  it("stops at once when the next row is due beyond the horizon, and says there is more only within it", async () => {
    await rowDueIn(30_000);
    const started = Date.now();
    const summary = await drainQueue(inboxQueue, markDone, { budgetMs: 20_000, batchSize: 10, awaitDueWithinMs: 2_000 });
    expect(handled).toEqual([]);
    expect(summary).toMatchObject({ claimed: 0, hasMore: false });
    // Waiting would have taken the whole 20 s budget (or the row's 30 s).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("without the option, a row due in a moment is left for the next kick", async () => {
    await rowDueIn(600);
    const summary = await drainQueue(inboxQueue, markDone, { budgetMs: 5_000, batchSize: 10 });
    expect(summary.claimed).toBe(0);
    expect(handled).toEqual([]);
  });
});
