import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { buildMessage, statusUpdate, type StatusKind } from "@/sim/webhook-payloads";
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

/** An outbound message of ours (the auto-reply to an audio message), returned with its wamid. */
async function outboundMessage(): Promise<{ wamid: string; to: string }> {
  await postWebhook(deliveryFor(number, { messages: [buildMessage("audio")] }));
  await runAfterCallbacks();
  const sent = graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === number.phoneNumberId);
  return { wamid: sent.at(-1)!.wamid, to: sent.at(-1)!.to };
}

async function sendStatuses(statuses: ReturnType<typeof statusUpdate>[]) {
  const res = await postWebhook(deliveryFor(number, { statuses }));
  expect(res.status).toBe(200);
  await runAfterCallbacks();
}

const base = Math.floor(Date.now() / 1000) - 600;
const at = { sent: base + 1, delivered: base + 5, read: base + 30, played: base + 40, failed: base + 3 };
const ms = (s: number) => new Date(s * 1000);
const status = (kind: StatusKind, wamid: string, to: string) =>
  statusUpdate(kind, { wamid, recipientId: to, timestamp: at[kind], ...(kind === "failed" ? { error: { code: 131026, title: "Message undeliverable", details: "Receiver incapable" } } : {}) });

describe("message statuses", () => {
  it.each([
    ["sent", "SENT"],
    ["delivered", "DELIVERED"],
    ["read", "READ"],
    ["played", "PLAYED"],
    ["failed", "FAILED"],
  ] as const)("applies %s", async (kind, expected) => {
    const { wamid, to } = await outboundMessage();
    await sendStatuses([status(kind, wamid, to)]);
    const row = await prisma.message.findUniqueOrThrow({ where: { wamid } });
    expect(row.status).toBe(expected);
    if (kind === "failed") {
      expect(row).toMatchObject({ errorCode: 131026, errorTitle: "Message undeliverable", errorDetails: "Receiver incapable", failedAt: ms(at.failed) });
      expect(await prisma.activityEvent.count({ where: { workspaceId: number.workspaceId, type: "message.failed" } })).toBe(1);
    }
  });

  it("a lone read backfills sent and delivered with its own time", async () => {
    const { wamid, to } = await outboundMessage();
    await sendStatuses([status("read", wamid, to)]);
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid } })).toMatchObject({ status: "READ", sentAt: ms(at.read), deliveredAt: ms(at.read), readAt: ms(at.read) });
    // the real, earlier times arriving later replace the backfilled ones
    await sendStatuses([status("delivered", wamid, to), status("sent", wamid, to)]);
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid } })).toMatchObject({ status: "READ", sentAt: ms(at.sent), deliveredAt: ms(at.delivered) });
  });

  it("failed is terminal over sent, but a later delivered/read proves delivery; the error stays recorded", async () => {
    const { wamid, to } = await outboundMessage();
    await sendStatuses([status("sent", wamid, to), status("failed", wamid, to)]);
    expect((await prisma.message.findUniqueOrThrow({ where: { wamid } })).status).toBe("FAILED");
    await sendStatuses([status("read", wamid, to)]);
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid } })).toMatchObject({ status: "READ", errorCode: 131026 });
  });

  it("any arrival order, with duplicates, ends in the same state and timestamps", async () => {
    const { wamid, to } = await outboundMessage();
    const all: StatusKind[] = ["sent", "delivered", "read"];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([...all, ...all], { minLength: 6, maxLength: 6 }), async (order) => {
        // Start each run clean: identical bodies would otherwise be recognised as re-deliveries.
        await prisma.webhookEvent.deleteMany({ where: { workspaceId: number.workspaceId } });
        await prisma.messageStatusEvent.deleteMany({ where: { wamid } });
        await prisma.message.update({ where: { wamid }, data: { status: "PENDING", sentAt: null, deliveredAt: null, readAt: null } });
        // one delivery per status, in the shuffled order
        for (const kind of order) await sendStatuses([status(kind, wamid, to)]);
        const row = await prisma.message.findUniqueOrThrow({ where: { wamid } });
        expect(row).toMatchObject({ status: "READ", sentAt: ms(at.sent), deliveredAt: ms(at.delivered), readAt: ms(at.read) });
      }),
      { numRuns: 8 },
    );
  });

  it("a batch with every status shuffled in one delivery lands right", async () => {
    const { wamid, to } = await outboundMessage();
    await sendStatuses([status("read", wamid, to), status("sent", wamid, to), status("delivered", wamid, to), status("read", wamid, to)]);
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid } })).toMatchObject({ status: "READ", sentAt: ms(at.sent), deliveredAt: ms(at.delivered), readAt: ms(at.read) });
  });

  it("a status for a message we do not have yet is kept, and applied when the message appears", async () => {
    const wamid = "wamid.HBgLMTU1NTAwMDAwMDAVAgARGBI0RkM1RjRCQjBDNjI2QjYwNDEA";
    await sendStatuses([status("delivered", wamid, "15550000000")]);
    const event = await prisma.messageStatusEvent.findFirstOrThrow({ where: { wamid } });
    expect(event).toMatchObject({ status: "DELIVERED", appliedAt: null, phoneNumberId: number.phoneNumberId });
    const processed = await prisma.webhookEvent.findFirstOrThrow({ where: { workspaceId: number.workspaceId }, orderBy: { receivedAt: "desc" } });
    expect(processed.counts).toMatchObject({ statuses: 1, pendingStatuses: 1 });

    // The auto-reply path stores an outbound message and folds waiting statuses into it.
    const { foldStatusEvents } = await import("@/lib/messages/fold-status-events");
    const inbound = await outboundMessage();
    const row = await prisma.message.findUniqueOrThrow({ where: { wamid: inbound.wamid } });
    await prisma.message.update({ where: { id: row.id }, data: { wamid } });
    expect(await foldStatusEvents(wamid)).toBe(1);
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid } })).toMatchObject({ status: "DELIVERED", deliveredAt: ms(at.delivered) });
    expect((await prisma.messageStatusEvent.findFirstOrThrow({ where: { wamid } })).appliedAt).not.toBeNull();
  });

  it("an unknown status value is ignored without failing the delivery", async () => {
    const { wamid, to } = await outboundMessage();
    const odd = { ...status("sent", wamid, to), status: "deleted" };
    await sendStatuses([odd as ReturnType<typeof statusUpdate>]);
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { workspaceId: number.workspaceId }, orderBy: { receivedAt: "desc" } });
    expect(event.state).toBe("PROCESSED");
    expect((await prisma.message.findUniqueOrThrow({ where: { wamid } })).status).toBe("PENDING");
  });
});
