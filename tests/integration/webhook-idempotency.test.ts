import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { processWebhookEvent } from "@/lib/webhooks/process-webhook-event";
import { buildMessage, sentStatus, textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { connectTestNumber, deliveryFor, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";

let number: TestNumber;
beforeEach(async () => {
  graphSimulator().control.reset();
  number = await connectTestNumber();
});
afterEach(async () => {
  await runAfterCallbacks();
});

const replies = () => graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === number.phoneNumberId);

describe("re-delivered and concurrent duplicate webhooks", () => {
  it("a delivery sent three times is one event, one message and one auto-reply", async () => {
    const message = buildMessage("video");
    const raw = deliveryFor(number, { messages: [message] });
    for (let i = 0; i < 3; i++) {
      expect((await postWebhook(raw)).status).toBe(200);
      await runAfterCallbacks();
    }
    const events = await prisma.webhookEvent.findMany({ where: { workspaceId: number.workspaceId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ deliveries: 3, state: "PROCESSED", attempts: 1 });
    expect(await prisma.message.count({ where: { wamid: message.id } })).toBe(1);
    expect(replies()).toHaveLength(1);
  });

  it("ten identical deliveries at once: all answered 200, one event, one message, one auto-reply", async () => {
    const message = buildMessage("audio");
    const raw = deliveryFor(number, { messages: [message] });
    const responses = await Promise.all(Array.from({ length: 10 }, () => postWebhook(raw)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await runAfterCallbacks();
    const events = await prisma.webhookEvent.findMany({ where: { workspaceId: number.workspaceId } });
    expect(events).toHaveLength(1);
    expect(events[0]!.deliveries).toBe(10);
    expect(await prisma.message.count({ where: { wamid: message.id } })).toBe(1);
    expect(replies()).toHaveLength(1);
  });

  it("the same message inside ten different deliveries processed at once: one message, one auto-reply", async () => {
    const message = buildMessage("sticker");
    // Each body differs (an extra status), so these are ten events racing on one wamid.
    const bodies = Array.from({ length: 10 }, () => deliveryFor(number, { messages: [message], statuses: [sentStatus()] }));
    const responses = await Promise.all(bodies.map((b) => postWebhook(b)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await runAfterCallbacks();
    const events = await prisma.webhookEvent.findMany({ where: { workspaceId: number.workspaceId } });
    expect(events).toHaveLength(10);
    expect(events.filter((e) => e.state !== "PROCESSED").map((e) => e.lastError)).toEqual([]);
    expect(await prisma.message.count({ where: { wamid: message.id } })).toBe(1);
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { connectionId: number.connectionId } });
    expect(conversation.messageCount).toBe(1);
    expect(replies()).toHaveLength(1);
  });

  it("processing an already processed event again changes nothing", async () => {
    const raw = deliveryFor(number, { messages: [textMessage()] });
    await postWebhook(raw);
    await runAfterCallbacks();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { workspaceId: number.workspaceId } });
    expect(await processWebhookEvent(event.id)).toBe("not_claimed");
    expect(await processWebhookEvent(event.id, { replay: true })).toBe("not_claimed");
  });
});

describe("batches", () => {
  it("one delivery with 100 messages and 100 statuses stores every one", async () => {
    const messages = Array.from({ length: 100 }, (_, i) => textMessage({ from: `97250${String(i).padStart(7, "0")}`, body: `message ${i}` }));
    const statuses = Array.from({ length: 100 }, () => sentStatus());
    expect((await postWebhook(deliveryFor(number, { messages, statuses }))).status).toBe(200);
    await runAfterCallbacks();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { workspaceId: number.workspaceId } });
    expect(event.state).toBe("PROCESSED");
    expect(event.counts).toMatchObject({ messages: 100, statuses: 100, pendingStatuses: 100 });
    expect(await prisma.message.count({ where: { connectionId: number.connectionId } })).toBe(100);
    expect(await prisma.conversation.count({ where: { connectionId: number.connectionId } })).toBe(100);
    expect(await prisma.messageStatusEvent.count({ where: { phoneNumberId: number.phoneNumberId } })).toBe(100);
  });

  it("a delivery batching several numbers and WABAs routes each change to its own workspace", async () => {
    const other = await connectTestNumber();
    const { buildDelivery, serializeLikeMeta } = await import("@/sim/webhook-payloads");
    const a = textMessage();
    const b = textMessage();
    const raw = serializeLikeMeta(
      buildDelivery({
        entries: [
          { wabaId: number.wabaId, changes: [{ phoneNumberId: number.phoneNumberId, displayPhoneNumber: "15550102000", messages: [a] }] },
          { wabaId: other.wabaId, changes: [{ phoneNumberId: other.phoneNumberId, displayPhoneNumber: "15550102001", messages: [b] }] },
        ],
      }),
    );
    expect((await postWebhook(raw)).status).toBe(200);
    await runAfterCallbacks();
    expect((await prisma.message.findUniqueOrThrow({ where: { wamid: a.id } })).workspaceId).toBe(number.workspaceId);
    expect((await prisma.message.findUniqueOrThrow({ where: { wamid: b.id } })).workspaceId).toBe(other.workspaceId);
  });
});

describe("deliveries we cannot route", () => {
  it("a new number of a WABA we know is shown to that workspace's owners, to connect and replay", async () => {
    const newNumberOfKnownWaba = { ...number, phoneNumberId: "777000777000777" };
    expect((await postWebhook(deliveryFor(newNumberOfKnownWaba, { messages: [textMessage()] }))).status).toBe(200);
    await runAfterCallbacks();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { wabaId: number.wabaId } });
    expect(event).toMatchObject({ state: "FAILED", errorKind: "UNKNOWN_NUMBER", workspaceId: number.workspaceId, phoneNumberId: "777000777000777" });
  });

  it("an unknown number is kept and flagged, not retried in a loop, and processes once the number is connected", async () => {
    const stranger = { ...number, phoneNumberId: "999000999000999", wabaId: "888000888000888" };
    const message = textMessage();
    expect((await postWebhook(deliveryFor(stranger, { messages: [message] }))).status).toBe(200);
    await runAfterCallbacks();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { phoneNumberId: stranger.phoneNumberId } });
    expect(event).toMatchObject({ state: "FAILED", errorKind: "UNKNOWN_NUMBER", nextAttemptAt: null });
    expect(await processWebhookEvent(event.id)).toBe("not_claimed"); // the retry path leaves it alone

    await prisma.whatsAppConnection.update({ where: { id: number.connectionId }, data: { phoneNumberId: stranger.phoneNumberId } });
    expect(await processWebhookEvent(event.id, { replay: true })).toBe("processed");
    expect(await prisma.message.count({ where: { wamid: message.id } })).toBe(1);
  });
});
