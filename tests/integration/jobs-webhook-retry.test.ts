import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createOwner } from "@/lib/users/create-owner";
import { MAX_ATTEMPTS } from "@/lib/webhooks/retry-policy";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { textMessage } from "@/sim/webhook-payloads";
import { callJob } from "@/tests/helpers/job-routes";
import { connectTestNumber, deliveryFor } from "@/tests/helpers/webhook-harness";

const makeDue = (id: string) => prisma.webhookEvent.update({ where: { id }, data: { nextAttemptAt: new Date(0) } });

describe("webhook-retry job", () => {
  it("drains everything due: new, stuck pending, and processing past a dead drainer's lease — not a live claim", async () => {
    const number = await connectTestNumber();
    const pending = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage()] })));
    const stuck = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage()] })));
    const fresh = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage()] })));
    const held = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage()] })));
    await prisma.webhookEvent.update({ where: { id: pending.id }, data: { receivedAt: new Date(Date.now() - 5 * 60_000) } });
    const lapsed = new Date(Date.now() - 1_000);
    await prisma.webhookEvent.update({ where: { id: stuck.id }, data: { state: "PROCESSING", attempts: 1, leaseUntil: lapsed, nextAttemptAt: lapsed } });
    const live = new Date(Date.now() + 60_000);
    await prisma.webhookEvent.update({ where: { id: held.id }, data: { state: "PROCESSING", attempts: 1, claimToken: "another-drainer", leaseUntil: live, nextAttemptAt: live } });

    const res = await callJob("webhook-retry");
    expect(await res.json()).toMatchObject({ success: true, data: { total: 3, processed: 3 } });
    const states = await prisma.webhookEvent.findMany({ where: { id: { in: [pending.id, stuck.id, fresh.id, held.id] } }, select: { id: true, state: true } });
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [pending.id]: "PROCESSED", [stuck.id]: "PROCESSED", [fresh.id]: "PROCESSED", [held.id]: "PROCESSING" });
  });

  it("retries with backoff up to the maximum, then dead: activity, and one email to the owners per hour", async () => {
    const number = await connectTestNumber();
    await createOwner({ workspaceId: number.workspaceId, email: "owner@shop.example" });
    // An incompressible wamid longer than a btree index entry can hold: the insert fails every time,
    // like a poison message.
    const poison = textMessage({ id: `wamid.${randomBytes(6000).toString("base64")}` });
    const event = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [poison] })));
    const { processWebhookEvent } = await import("@/lib/webhooks/process-webhook-event");
    expect(await processWebhookEvent(event.id)).toBe("failed");

    const delays: number[] = [];
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const row = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
      expect(row.state).toBe("FAILED");
      delays.push(row.nextAttemptAt!.getTime() - Date.now());
      await makeDue(event.id);
      await callJob("webhook-retry");
    }
    // exponential: each wait is longer than the one before
    expect(delays.every((d, i) => i === 0 || d > delays[i - 1]!)).toBe(true);

    const dead = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(dead).toMatchObject({ state: "DEAD", attempts: MAX_ATTEMPTS, errorKind: "PROCESSING", workspaceId: number.workspaceId, nextAttemptAt: null });
    expect(dead.deadAt).not.toBeNull();
    expect(dead.lastError).toBeTruthy();
    expect(await prisma.activityEvent.count({ where: { workspaceId: number.workspaceId, type: "webhook.dead" } })).toBe(1);

    await callJob("webhook-retry");
    const emails = await prisma.emailMessage.findMany({ where: { workspaceId: number.workspaceId } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: "owner@shop.example", status: "OUTBOX" });
    expect(emails[0]!.subject).toMatch(/webhook/i);
  });
});
