import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as send } from "@/app/api/v1/messages/route";
import { prisma } from "@/lib/db/client";
import { outboxQueue, type OutboxPayload } from "@/lib/outbound/outbox-queue";
import { claimBatch } from "@/lib/queue/claim-batch";
import { settleBatch } from "@/lib/queue/settle-batch";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { apiRequest, drainNow, numberWithCustomer, outboundRow, sentBy, textTo, type Sender } from "@/tests/helpers/outbound";
import { routeContext } from "@/tests/helpers/owner-session";
import { graphSimulator } from "@/tests/helpers/webhook-harness";

// A drainer that dies mid-send: its claim's lease runs out and another drainer takes the row. Where
// Graph had already answered (the wamid is recorded), the row is settled without a second send.

let sender: Sender;
beforeEach(async () => {
  graphSimulator().control.reset();
  sender = await numberWithCustomer();
});
afterEach(async () => {
  await runAfterCallbacks();
});

/** Queues a send without letting the after() drain run: the test plays the drainer that dies. */
async function queued(): Promise<string> {
  const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender, "crash test"), apiKey: sender.apiKey }), routeContext({}));
  const { data } = (await res.json()) as { data: { id: string } };
  return data.id;
}

async function leaseLapses(id: string) {
  await prisma.outboundMessage.update({ where: { id }, data: { leaseUntil: new Date(Date.now() - 1000), nextAttemptAt: new Date(Date.now() - 1000) } });
}

describe("a drainer that dies", () => {
  it("before sending: the row comes back when its lease lapses and is sent once; the dead drainer can no longer settle it", async () => {
    const id = await queued();
    const dead = await claimBatch<OutboxPayload>(outboxQueue, { limit: 10 });
    expect(dead.rows.map((r) => r.id)).toEqual([id]);
    expect(await outboundRow(id)).toMatchObject({ state: "SENDING" });
    // Still under lease: another drain leaves it alone.
    await drainNow(300);
    expect(sentBy(sender)).toHaveLength(0);

    await leaseLapses(id);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "SENT", attempts: 2 });
    expect(sentBy(sender)).toHaveLength(1);
    // The first drainer wakes up and tries to settle: lost, nothing changes.
    const settled = await settleBatch(outboxQueue, dead.token, dead.rows, [{ id, kind: "retry", error: "late", errorKind: "TRANSIENT" }]);
    expect(settled.lost).toEqual([id]);
    expect(await outboundRow(id)).toMatchObject({ state: "SENT" });
  });

  it("after Graph answered and the wamid was recorded: settled SENT without a second send, the message stored once", async () => {
    const id = await queued();
    const dead = await claimBatch<OutboxPayload>(outboxQueue, { limit: 10 });
    // What the dying drainer got done: Graph accepted the message and its wamid was written.
    const wamid = `wamid.CRASH${Date.now()}`;
    await prisma.outboundMessage.update({ where: { id }, data: { wamid, sentAt: new Date() } });
    expect(dead.rows).toHaveLength(1);

    await leaseLapses(id);
    await drainNow();
    const row = await outboundRow(id);
    expect(row).toMatchObject({ state: "SENT", wamid });
    expect(sentBy(sender)).toHaveLength(0);
    const message = await prisma.message.findUniqueOrThrow({ where: { wamid } });
    expect(message).toMatchObject({ id: row.messageId, direction: "OUTBOUND", conversationId: row.conversationId });

    // And again (say a third drainer also took it): still one message.
    await prisma.outboundMessage.update({ where: { id }, data: { state: "QUEUED", nextAttemptAt: new Date(Date.now() - 1000) } });
    await drainNow();
    expect(await prisma.message.count({ where: { wamid } })).toBe(1);
    expect(sentBy(sender)).toHaveLength(0);
  });
});
