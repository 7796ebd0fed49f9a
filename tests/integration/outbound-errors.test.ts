import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as send } from "@/app/api/v1/messages/route";
import { prisma } from "@/lib/db/client";
import { checkTokenHealth } from "@/lib/health/check-token-health";
import { getBreakerState } from "@/lib/outbound/circuit-breaker";
import { drainOutbox } from "@/lib/outbound/drain-outbox";
import { outboxQueue } from "@/lib/outbound/outbox-queue";
import { discardAfterCallbacks, runAfterCallbacks } from "@/tests/helpers/after-queue";
import { apiRequest, drainNow, dueNow, numberWithCustomer, outboundRow, sentBy, textTo, type Sender } from "@/tests/helpers/outbound";
import { routeContext } from "@/tests/helpers/owner-session";
import { graphSimulator } from "@/tests/helpers/webhook-harness";
import { createOwner } from "@/lib/users/create-owner";

// Every row of Meta's outbound error table (docs/outbound.md), scripted per recipient in the simulator,
// through the real route, drain and database.

let sender: Sender;
beforeEach(async () => {
  graphSimulator().control.reset();
  sender = await numberWithCustomer();
  // Each test sends to one customer several times in a row: lift the pair rate (pacing has its own tests).
  await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { pairIntervalMs: 0 } });
});
afterEach(async () => {
  await runAfterCallbacks();
});

/** Queues one text to the customer with Graph scripted to answer `error` once; drains; the row after. */
async function sendAgainst(error: { code: number; httpStatus?: number }, times = 1) {
  graphSimulator().control.script({ to: sender.customer, error, times });
  const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), apiKey: sender.apiKey }), routeContext({}));
  expect(res.status).toBe(202);
  const { data } = (await res.json()) as { data: { id: string } };
  // One drain that does not wait for the retry (the after() kick would, and send it before we look).
  discardAfterCallbacks();
  await drainNow();
  return { id: data.id, row: await outboundRow(data.id) };
}

const accepted = () => sentBy(sender).length;
// This number's calls only: a row another test left queued may come due during a later test's drain.
const sendCalls = () => graphSimulator().control.requests().filter((r) => r.phoneNumberId === sender.phoneNumberId && r.path.endsWith("/messages"));

describe("retried with backoff, then sent", () => {
  it.each([
    [130429, "THROTTLED"],
    [131056, "THROTTLED"],
    [131057, "TRANSIENT"],
    [1, "TRANSIENT"],
    [2, "TRANSIENT"],
    [131000, "TRANSIENT"],
  ])("%i → QUEUED again (%s), Meta's code kept, an attempt used; sent once due", async (code, kind) => {
    const { id, row } = await sendAgainst({ code });
    expect(row).toMatchObject({ state: "QUEUED", errorKind: kind, errorCode: code, attempts: 1, wamid: null });
    expect(row.errorTitle).toBeTruthy();
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    // Full jitter within the backoff's ceiling for a first failure.
    expect(row.nextAttemptAt!.getTime() - Date.now()).toBeLessThanOrEqual(5_000);
    expect(accepted()).toBe(0);
    await dueNow(id);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "SENT", attempts: 2, errorCode: null });
    expect(accepted()).toBe(1);
  });

  it("a bare HTTP 503 (no Graph code) is transient too", async () => {
    const { id, row } = await sendAgainst({ code: 1, httpStatus: 503 });
    expect(row).toMatchObject({ state: "QUEUED", errorKind: "TRANSIENT" });
    await dueNow(id);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "SENT", attempts: 2 });
  });

  it("131049 (marketing cap) → retried only hours later, and after a few tries FAILED", async () => {
    const { id, row } = await sendAgainst({ code: 131049 }, 10);
    expect(row).toMatchObject({ state: "QUEUED", errorKind: "MARKETING_CAP", errorCode: 131049 });
    expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(3.9 * 60 * 60_000);
    await prisma.outboundMessage.update({ where: { id }, data: { attempts: 2 } });
    await dueNow(id);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "FAILED", errorKind: "MARKETING_CAP", attempts: 3, nextAttemptAt: null });
  });
});

describe("failed for good, never retried", () => {
  it.each([
    [131047, "WINDOW_CLOSED", /send a template/],
    [470, "WINDOW_CLOSED", /send a template/],
    [131026, "PERMANENT", /131026/],
    [132000, "PERMANENT", /132000/],
    [132001, "PERMANENT", /132001/],
    [132012, "PERMANENT", /132012/],
    [132015, "PERMANENT", /132015/],
    [131048, "RESTRICTED", /restricted/],
    [368, "RESTRICTED", /restricted/],
    [131031, "RESTRICTED", /restricted/],
  ])("%i → FAILED (%s) with Meta's reason", async (code, kind, reason) => {
    const { id, row } = await sendAgainst({ code }, 5);
    expect(row).toMatchObject({ state: "FAILED", errorKind: kind, errorCode: code, nextAttemptAt: null, attempts: 1 });
    expect(row.lastError).toMatch(reason);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "FAILED", attempts: 1 });
  });
});

describe("an invalid token (190)", () => {
  it("marks the token invalid as the health check does, and the number's sends wait without using attempts or calling Graph", async () => {
    await createOwner({ workspaceId: sender.workspaceId, email: `owner-${sender.phoneNumberId}@example.test` });
    graphSimulator().control.setTokenInvalid(sender.token, 190, 463);
    const { id, row } = await sendAgainst({ code: 190 }, 1);
    expect(row).toMatchObject({ state: "QUEUED", errorKind: "AUTH", attempts: 0, errorCode: 190, wamid: null });
    expect(row.lastError).toMatch(/access token/i);
    expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(60_000);
    const connection = await prisma.whatsAppConnection.findUniqueOrThrow({ where: { id: sender.connectionId }, include: { token: true } });
    expect(connection.status).toBe("INVALID");
    expect(connection.token).toMatchObject({ isValid: false });
    expect(await prisma.activityEvent.count({ where: { connectionId: sender.connectionId, type: "token.invalid" } })).toBe(1);
    expect(await prisma.emailMessage.count({ where: { workspaceId: sender.workspaceId } })).toBe(1);

    // Due again (or another queued send): released without a call to Graph.
    const before = sendCalls().length;
    expect(before).toBe(1);
    await dueNow(id);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "QUEUED", errorKind: "AUTH", attempts: 0 });
    expect(sendCalls()).toHaveLength(before);

    // The owner fixes the token: the health check finds it valid, and the waiting sends are due at once —
    // but the number's circuit, opened by the 190, holds them (still no attempt used) until its cool-down ends.
    graphSimulator().control.reset();
    await checkTokenHealth(sender.connectionId, { appToken: null });
    const recovered = await outboundRow(id);
    expect(recovered.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await getBreakerState(sender.connectionId)).state).toBe("open");
    await drainNow();
    const held = await outboundRow(id);
    expect(held).toMatchObject({ state: "QUEUED", errorKind: "BREAKER_OPEN", attempts: 0 });
    expect(held.lastError).toMatch(/paused/);
    expect(held.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    expect(sendCalls()).toHaveLength(0);
  });
});

describe("many sends meeting one dead token at once", () => {
  it("record one incident (one activity, one email) however many drainers see the 190", async () => {
    await createOwner({ workspaceId: sender.workspaceId, email: `owner-${sender.phoneNumberId}@example.test` });
    graphSimulator().control.setTokenInvalid(sender.token, 190);
    for (let i = 0; i < 6; i++) {
      const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender, `burst ${i}`), apiKey: sender.apiKey }), routeContext({}));
      expect(res.status).toBe(202);
    }
    discardAfterCallbacks();
    // Three loops of two: three batches in flight together, each meeting the 190.
    await drainOutbox({ budgetMs: 1_500, concurrency: 3, batchSize: 2, awaitDueWithinMs: 0 });
    expect(await prisma.outboundMessage.count({ where: { workspaceId: sender.workspaceId, state: "QUEUED", errorKind: "AUTH", attempts: 0 } })).toBe(6);
    expect(await prisma.activityEvent.count({ where: { connectionId: sender.connectionId, type: "token.invalid" } })).toBe(1);
    expect(await prisma.emailMessage.count({ where: { workspaceId: sender.workspaceId } })).toBe(1);
  });
});

describe("the last attempt", () => {
  it("goes DEAD with an activity and an owner alert", async () => {
    await createOwner({ workspaceId: sender.workspaceId, email: `owner-${sender.phoneNumberId}@example.test` });
    graphSimulator().control.script({ to: sender.customer, error: { code: 2 } });
    const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), apiKey: sender.apiKey }), routeContext({}));
    const { data } = (await res.json()) as { data: { id: string } };
    await prisma.outboundMessage.update({ where: { id: data.id }, data: { attempts: outboxQueue.maxAttempts - 1 } });
    await runAfterCallbacks();
    const row = await outboundRow(data.id);
    expect(row).toMatchObject({ state: "DEAD", attempts: outboxQueue.maxAttempts, nextAttemptAt: null, errorCode: 2 });
    expect(row.deadAt).not.toBeNull();
    expect(await prisma.activityEvent.count({ where: { workspaceId: sender.workspaceId, type: "outbound.dead" } })).toBe(1);
    expect(await prisma.emailMessage.count({ where: { workspaceId: sender.workspaceId, subject: { contains: "could not be sent" } } })).toBe(1);
  });
});
