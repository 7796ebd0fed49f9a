import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as replayOne } from "@/app/api/v1/webhook-events/[id]/replay/route";
import { POST as replayAll } from "@/app/api/v1/webhook-events/replay/route";
import { GET as listEvents } from "@/app/api/v1/webhook-events/route";
import { mintAdminToken } from "@/lib/auth/admin-token";
import { prisma } from "@/lib/db/client";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { REPLAY_BATCH } from "@/lib/webhooks/replay-failed-events";
import { textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { ownerRequest, routeContext, type TestOwner } from "@/tests/helpers/owner-session";
import { connectTestNumber, deliveryFor, graphSimulator, type TestNumber } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

let number: TestNumber;
let owner: Awaited<ReturnType<typeof ownerOf>>;
beforeEach(async () => {
  graphSimulator().control.reset();
  number = await connectTestNumber({ autoReplyEnabled: false });
  owner = await ownerOf(number.workspaceId);
});
afterEach(async () => {
  await runAfterCallbacks();
});

/** A stored delivery of one message for the number, left FAILED or DEAD as the retry path would leave it. */
async function failedEvent(state: "FAILED" | "DEAD", target: TestNumber = number, body = "hello") {
  const stored = await storeWebhookEvent(Buffer.from(deliveryFor(target, { messages: [textMessage({ body })] })));
  return prisma.webhookEvent.update({
    where: { id: stored.id },
    data: {
      state,
      workspaceId: target.workspaceId,
      phoneNumberId: target.phoneNumberId,
      errorKind: "PROCESSING",
      lastError: "connection terminated unexpectedly",
      attempts: state === "DEAD" ? 8 : 2,
      nextAttemptAt: state === "DEAD" ? null : new Date(Date.now() + 60_000),
      deadAt: state === "DEAD" ? new Date() : null,
    },
  });
}

type EventList = { data: Array<{ id: string; state: string; errorKind: string; lastError: string; attempts: number; nextAttemptAt: string | null; deadAt: string | null }>; nextCursor: string | null; counts: { failed: number; dead: number } };
const list = async (query = "", as: TestOwner = owner): Promise<EventList> => {
  const res = await listEvents(ownerRequest(as, "GET", `/api/v1/webhook-events${query}`), routeContext({}));
  expect(res.status).toBe(200);
  return res.json();
};

describe("failed webhooks API", () => {
  it("lists the workspace's failed and dead deliveries with error, attempts and next attempt", async () => {
    const failed = await failedEvent("FAILED");
    const dead = await failedEvent("DEAD");
    await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage({ body: "still pending" })] })));

    const all = await list();
    expect(all.counts).toEqual({ failed: 1, dead: 1 });
    expect(all.data.map((e) => e.id).sort()).toEqual([failed.id, dead.id].sort());
    expect(all.data.find((e) => e.id === failed.id)).toMatchObject({ state: "FAILED", errorKind: "PROCESSING", lastError: "connection terminated unexpectedly", attempts: 2, nextAttemptAt: expect.any(String), deadAt: null });
    expect(all.data.find((e) => e.id === dead.id)).toMatchObject({ state: "DEAD", attempts: 8, nextAttemptAt: null, deadAt: expect.any(String) });
    expect((await list("?state=dead")).data.map((e) => e.id)).toEqual([dead.id]);
    expect((await list("?state=failed")).data.map((e) => e.id)).toEqual([failed.id]);
    const bad = await listEvents(ownerRequest(owner, "GET", "/api/v1/webhook-events?state=processed"), routeContext({}));
    expect(bad.status).toBe(422);
  });

  it("an owner replays one of its events: processed, the message stored, audit-logged as the owner", async () => {
    const dead = await failedEvent("DEAD", number, "replay me");
    const res = await replayOne(ownerRequest(owner, "POST", `/api/v1/webhook-events/${dead.id}/replay`), routeContext({ id: dead.id }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { id: dead.id, result: "processed", state: "PROCESSED" } });
    expect(await prisma.message.count({ where: { workspaceId: number.workspaceId, text: "replay me" } })).toBe(1);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { target: dead.id } });
    expect(audit).toMatchObject({ action: "webhook.replay", actor: owner.email });
    expect((await list()).counts).toEqual({ failed: 0, dead: 0 });
    // already processed: 409
    expect((await replayOne(ownerRequest(owner, "POST", `/api/v1/webhook-events/${dead.id}/replay`), routeContext({ id: dead.id }))).status).toBe(409);
  });

  it("an owner cannot replay another workspace's event (404); an admin — token or session — can", async () => {
    const other = await connectTestNumber({ autoReplyEnabled: false });
    const theirs = await failedEvent("DEAD", other);
    const res = await replayOne(ownerRequest(owner, "POST", `/api/v1/webhook-events/${theirs.id}/replay`), routeContext({ id: theirs.id }));
    expect(res.status).toBe(404);
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: theirs.id } })).state).toBe("DEAD");

    const admin = await ownerOf(number.workspaceId, { isAdmin: true });
    const bySession = await replayOne(ownerRequest(admin, "POST", `/api/v1/webhook-events/${theirs.id}/replay`), routeContext({ id: theirs.id }));
    expect(await bySession.json()).toMatchObject({ success: true, data: { result: "processed" } });

    const another = await failedEvent("FAILED", other, "second");
    const token = await mintAdminToken({ subject: "ops@example.com" });
    const byToken = await replayOne(new Request(`http://localhost/api/v1/webhook-events/${another.id}/replay`, { method: "POST", headers: { authorization: `Bearer ${token}` } }), routeContext({ id: another.id }));
    expect(await byToken.json()).toMatchObject({ success: true, data: { result: "processed" } });
  });

  it("replay and replay-all refuse a cross-site request (403) and a caller without a session (401)", async () => {
    const dead = await failedEvent("DEAD");
    const evil = { origin: "https://evil.example" };
    expect((await replayOne(ownerRequest(owner, "POST", `/api/v1/webhook-events/${dead.id}/replay`, evil), routeContext({ id: dead.id }))).status).toBe(403);
    expect((await replayOne(ownerRequest(owner, "POST", `/api/v1/webhook-events/${dead.id}/replay`, { origin: null }), routeContext({ id: dead.id }))).status).toBe(403);
    expect((await replayAll(ownerRequest(owner, "POST", "/api/v1/webhook-events/replay", evil), routeContext({}))).status).toBe(403);
    expect((await replayOne(ownerRequest(null, "POST", `/api/v1/webhook-events/${dead.id}/replay`), routeContext({ id: dead.id }))).status).toBe(401);
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: dead.id } })).state).toBe("DEAD");
  });

  it("replay-all replays only the workspace's own failed and dead events, and reports what remains", async () => {
    const mine = await Promise.all([failedEvent("FAILED", number, "a"), failedEvent("DEAD", number, "b"), failedEvent("DEAD", number, "c")]);
    const other = await connectTestNumber({ autoReplyEnabled: false });
    const theirs = await failedEvent("DEAD", other);

    const onlyDead = await replayAll(ownerRequest(owner, "POST", "/api/v1/webhook-events/replay", { body: { state: "dead" } }), routeContext({}));
    expect((await onlyDead.json()).data).toMatchObject({ replayed: 2, processed: 2, stillFailing: 0, remaining: 1, hasMore: false });
    const rest = await replayAll(ownerRequest(owner, "POST", "/api/v1/webhook-events/replay"), routeContext({}));
    const { data } = await rest.json();
    expect(data).toMatchObject({ replayed: 1, processed: 1, remaining: 0, hasMore: false, results: [{ id: mine[0].id, result: "processed", state: "PROCESSED" }] });
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: theirs.id } })).state).toBe("DEAD");

    const notJson = await replayAll(ownerRequest(owner, "POST", "/api/v1/webhook-events/replay", { body: "{nope" }), routeContext({}));
    expect(notJson.status).toBe(400);
  });

  it("replay-all is bounded to one batch per call", async () => {
    for (let i = 0; i < REPLAY_BATCH + 2; i++) await failedEvent("DEAD", number, `bulk ${i}`);
    const first = (await (await replayAll(ownerRequest(owner, "POST", "/api/v1/webhook-events/replay"), routeContext({}))).json()).data;
    expect(first).toMatchObject({ replayed: REPLAY_BATCH, processed: REPLAY_BATCH, remaining: 2, hasMore: true });
    const second = (await (await replayAll(ownerRequest(owner, "POST", "/api/v1/webhook-events/replay"), routeContext({}))).json()).data;
    expect(second).toMatchObject({ replayed: 2, remaining: 0, hasMore: false });
  });
});
