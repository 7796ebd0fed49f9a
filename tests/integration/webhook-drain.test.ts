import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { drainInbox } from "@/lib/webhooks/drain-inbox";
import { CHUNK_ITEMS } from "@/lib/webhooks/process-inbox-batch";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { audioMessage, sentStatus, textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { connectTestNumber, deliveryFor, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";

// The drain (lib/queue/ + lib/webhooks/drain-inbox.ts) empties the inbox by itself: no retry job.

let number: TestNumber;
beforeEach(async () => {
  graphSimulator().control.reset();
  number = await connectTestNumber();
});

const customers = Array.from({ length: 150 }, (_, i) => `9725${String(i).padStart(8, "0")}`);

describe("a backlog of deliveries", () => {
  it("is drained by the invocations' own drains, two at once, each delivery processed exactly once", async () => {
    const total = 2_000;
    // Every 20th message is audio: the connection's default settings answer it with an auto-reply.
    const messages = Array.from({ length: total }, (_, i) =>
      i % 20 === 0 ? audioMessage({ from: customers[i % customers.length] }) : textMessage({ from: customers[i % customers.length], body: `message ${i}` }),
    );
    for (const message of messages) expect((await postWebhook(deliveryFor(number, { messages: [message] }))).status).toBe(200);
    expect(await prisma.webhookEvent.count({ where: { workspaceId: null, state: "PENDING" } })).toBe(total);

    // The requests' after() callbacks (this process's drainer) and a second instance's drain, racing.
    const [, second] = await Promise.all([runAfterCallbacks(), drainInbox({ batchSize: 50 })]);
    expect(second.claimed).toBeGreaterThan(0);
    expect(second.claimed).toBeLessThan(total);

    const events = await prisma.webhookEvent.groupBy({ by: ["state", "attempts"], where: { workspaceId: number.workspaceId }, _count: { _all: true } });
    expect(events).toEqual([{ state: "PROCESSED", attempts: 1, _count: { _all: total } }]);
    expect(await prisma.message.count({ where: { connectionId: number.connectionId, direction: "INBOUND" } })).toBe(total);
    const conversations = await prisma.conversation.aggregate({ where: { connectionId: number.connectionId }, _sum: { messageCount: true }, _count: { _all: true } });
    expect(conversations).toMatchObject({ _sum: { messageCount: total }, _count: { _all: customers.length } });
    expect(await prisma.activityEvent.count({ where: { workspaceId: number.workspaceId, type: "message.received" } })).toBe(total);
    const audio = messages.filter((m) => m.type === "audio").length;
    expect(graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === number.phoneNumberId)).toHaveLength(audio);
    expect(await prisma.message.count({ where: { connectionId: number.connectionId, direction: "OUTBOUND" } })).toBe(audio);
  });

  it("a delivery larger than a chunk commits chunk by chunk and resumes where a short invocation stopped", async () => {
    const size = CHUNK_ITEMS * 3 + 17;
    const messages = Array.from({ length: size }, (_, i) => textMessage({ from: customers[i % customers.length], body: `bulk ${i}` }));
    const statuses = [sentStatus(), sentStatus()];
    const stored = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages, statuses })));

    // A budget far too short for the whole delivery: each invocation applies one chunk and hands back.
    const progress: number[] = [];
    for (let i = 0; i < 10; i++) {
      const slice = await drainInbox({ budgetMs: 1, concurrency: 1 });
      const row = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: stored.id } });
      progress.push(row.progress);
      if (row.state === "PROCESSED") break;
      expect(slice.released).toBe(1);
      expect(row).toMatchObject({ state: "PENDING", attempts: 0, claimToken: null });
    }
    expect(progress).toEqual([CHUNK_ITEMS, CHUNK_ITEMS * 2, CHUNK_ITEMS * 3, size + statuses.length]);
    const row = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: stored.id } });
    expect(row).toMatchObject({ state: "PROCESSED", attempts: 1, counts: { messages: size, duplicateMessages: 0, statuses: 2, pendingStatuses: 2 } });
    expect(await prisma.message.count({ where: { connectionId: number.connectionId } })).toBe(size);
    const conversations = await prisma.conversation.aggregate({ where: { connectionId: number.connectionId }, _sum: { messageCount: true } });
    expect(conversations._sum.messageCount).toBe(size);
  });

  it("one poison delivery in a batch fails alone; the rest of the batch is processed", async () => {
    const good = Array.from({ length: 20 }, () => textMessage());
    for (const m of good) await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [m] })));
    // A wamid longer than a btree index entry can hold: its insert fails every time.
    const poison = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage({ id: `wamid.${randomBytes(6000).toString("base64")}` })] })));

    const summary = await drainInbox();
    expect(summary).toMatchObject({ claimed: 21, done: 20, failed: 1 });
    expect(await prisma.message.count({ where: { wamid: { in: good.map((m) => m.id) } } })).toBe(20);
    const failed = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: poison.id } });
    expect(failed).toMatchObject({ state: "FAILED", errorKind: "PROCESSING", attempts: 1, workspaceId: number.workspaceId });
    expect(failed.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
  });
});

describe("repeated profile names", () => {
  it("a contact row is written when its name changes, not on every message", async () => {
    const from = customers[0]!;
    const send = async (name: string) => {
      const raw = deliveryFor(number, { messages: [textMessage({ from })], contacts: [{ wa_id: from, profile: { name } }] });
      await postWebhook(raw);
      await runAfterCallbacks();
      return prisma.contact.findFirstOrThrow({ where: { workspaceId: number.workspaceId, waId: from } });
    };
    const first = await send("Dana");
    const again = await send("Dana");
    expect(again.updatedAt).toEqual(first.updatedAt);
    const renamed = await send("Dana Levi");
    expect(renamed.profileName).toBe("Dana Levi");
    expect(renamed.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
  });
});
