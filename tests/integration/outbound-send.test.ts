import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as send, GET as list } from "@/app/api/v1/messages/route";
import { GET as getOne } from "@/app/api/v1/messages/[id]/route";
import { POST as retryOne } from "@/app/api/v1/messages/[id]/retry/route";
import { POST as retryAll } from "@/app/api/v1/messages/retry/route";
import { hashApiKey } from "@/lib/api-keys/api-key-secret";
import { prisma } from "@/lib/db/client";
import { statusUpdate } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { apiRequest, createApiKey, drainNow, numberWithCustomer, outboundRow, sentBy, textTo, type Sender } from "@/tests/helpers/outbound";
import { createTestOwner, routeContext } from "@/tests/helpers/owner-session";
import { deliveryFor, graphSimulator, postWebhook } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

let sender: Sender;
beforeEach(async () => {
  graphSimulator().control.reset();
  sender = await numberWithCustomer();
});
afterEach(async () => {
  await runAfterCallbacks();
});

const none = routeContext({});
const byId = (id: string) => routeContext({ id });

async function queue(body: unknown, options: { idempotencyKey?: string; apiKey?: string } = {}): Promise<Response> {
  return send(apiRequest("POST", "/api/v1/messages", { body, apiKey: options.apiKey ?? sender.apiKey, idempotencyKey: options.idempotencyKey }), none);
}

async function status(id: string, apiKey = sender.apiKey): Promise<{ status: string; wamid: string | null; attempts: number; nextAttemptAt: string | null; error: unknown }> {
  const res = await getOne(apiRequest("GET", `/api/v1/messages/${id}`, { apiKey }), byId(id));
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: never }).data;
}

async function postStatuses(statuses: ReturnType<typeof statusUpdate>[]) {
  expect((await postWebhook(deliveryFor(sender, { statuses }))).status).toBe(200);
  await runAfterCallbacks();
}

describe("POST /api/v1/messages", () => {
  it("stores the send, answers 202 QUEUED, and the drain after the response sends it: SENT → DELIVERED → READ by Meta's statuses", async () => {
    const res = await queue(textTo(sender, "Yes, we ship worldwide"));
    expect(res.status).toBe(202);
    const { data } = (await res.json()) as { data: { id: string; status: string } };
    expect(data).toEqual({ id: expect.any(String), status: "QUEUED" });
    // Durable before the answer: the row exists before anything was sent.
    expect(await outboundRow(data.id)).toMatchObject({ state: "QUEUED", to: sender.customer, type: "text", wamid: null });
    expect(sentBy(sender)).toHaveLength(0);

    await runAfterCallbacks();
    const sent = sentBy(sender);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: sender.customer, type: "text", text: "Yes, we ship worldwide" });
    const view = await status(data.id);
    expect(view).toMatchObject({ status: "SENT", wamid: sent[0]!.wamid, attempts: 1, nextAttemptAt: null, error: null });

    // The conversation shows it, as an outbound message with the same wamid.
    const row = await outboundRow(data.id);
    const message = await prisma.message.findUniqueOrThrow({ where: { id: row.messageId! } });
    expect(message).toMatchObject({ wamid: sent[0]!.wamid, direction: "OUTBOUND", status: "PENDING", conversationId: row.conversationId, text: "Yes, we ship worldwide" });

    await postStatuses([statusUpdate("delivered", { wamid: sent[0]!.wamid, recipientId: sender.customer })]);
    expect((await status(data.id)).status).toBe("DELIVERED");
    await postStatuses([statusUpdate("read", { wamid: sent[0]!.wamid, recipientId: sender.customer })]);
    expect((await status(data.id)).status).toBe("READ");
  });

  it("applies a status that arrived before the message was stored (Meta's webhook beat our insert)", async () => {
    const wamid = `wamid.EARLY${Date.now()}`;
    graphSimulator().control.script({ to: sender.customer, response: { body: { messaging_product: "whatsapp", contacts: [{ input: sender.customer, wa_id: sender.customer }], messages: [{ id: wamid }] } }, times: 1 });
    await postStatuses([statusUpdate("delivered", { wamid, recipientId: sender.customer })]);
    const { data } = (await (await queue(textTo(sender))).json()) as { data: { id: string } };
    await runAfterCallbacks();
    expect(await status(data.id)).toMatchObject({ status: "DELIVERED", wamid });
  });

  it("shows Meta's reason when a status webhook says the message failed", async () => {
    const { data } = (await (await queue(textTo(sender))).json()) as { data: { id: string } };
    await runAfterCallbacks();
    const wamid = (await outboundRow(data.id)).wamid!;
    await postStatuses([statusUpdate("failed", { wamid, recipientId: sender.customer, error: { code: 131026, title: "Message undeliverable", details: "Receiver is incapable of receiving this message" } })]);
    expect(await status(data.id)).toMatchObject({ status: "FAILED", error: { code: 131026, title: "Message undeliverable", details: "Receiver is incapable of receiving this message" } });
  });

  it("sends media by link and replies with context", async () => {
    const body = { connectionId: sender.connectionId, to: sender.customer, type: "image", image: { link: "https://example.com/catalog.jpg", caption: "Our catalog" }, context: { message_id: "wamid.CUSTOMER1" } };
    expect((await queue(body)).status).toBe(202);
    await runAfterCallbacks();
    expect(sentBy(sender)[0]!.payload).toMatchObject({ type: "image", image: { link: "https://example.com/catalog.jpg", caption: "Our catalog" }, context: { message_id: "wamid.CUSTOMER1" } });
  });

  it("refuses a free-form message outside the 24-hour window with 422 window_closed and stores nothing", async () => {
    await prisma.conversation.updateMany({ where: { connectionId: sender.connectionId }, data: { windowExpiresAt: new Date(Date.now() - 60_000) } });
    const closed = await queue(textTo(sender));
    expect(closed.status).toBe(422);
    expect(await closed.json()).toMatchObject({ success: false, error: { code: "window_closed", message: expect.stringMatching(/template/) } });
    // A number that never wrote: no window at all, and no contact or conversation is created for it.
    const stranger = await queue(textTo(sender, "hi", "15550001234"));
    expect(stranger.status).toBe(422);
    expect(await prisma.contact.count({ where: { workspaceId: sender.workspaceId, waId: "15550001234" } })).toBe(0);
    expect(await prisma.outboundMessage.count({ where: { workspaceId: sender.workspaceId } })).toBe(0);
  });

  it("refuses a template that is not APPROVED (422) and sends an approved one to a new number, opening its conversation", async () => {
    const template = (name: string, status: string) => ({ workspaceId: sender.workspaceId, wabaId: sender.wabaId, metaTemplateId: `${name}-id`, name, language: "en_US", status, category: "UTILITY", components: [], syncedAt: new Date() });
    await prisma.messageTemplate.createMany({ data: [template("order_update", "APPROVED"), template("promo_draft", "PENDING")] });
    const body = (name: string) => ({ connectionId: sender.connectionId, to: "15550004321", type: "template", template: { name, language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: "A-17" }] }] } });
    const pending = await queue(body("promo_draft"));
    expect(pending.status).toBe(422);
    expect(await prisma.outboundMessage.count({ where: { workspaceId: sender.workspaceId } })).toBe(0);

    expect((await queue(body("order_update"))).status).toBe(202);
    await runAfterCallbacks();
    expect(sentBy(sender)[0]!.payload).toMatchObject({ to: "15550004321", type: "template", template: { name: "order_update", language: { code: "en_US", policy: "deterministic" }, components: [{ type: "body" }] } });
    const contact = await prisma.contact.findUniqueOrThrow({ where: { workspaceId_waId: { workspaceId: sender.workspaceId, waId: "15550004321" } } });
    expect(await prisma.conversation.count({ where: { contactId: contact.id, connectionId: sender.connectionId } })).toBe(1);
  });

  it("rejects an invalid body with 422 and a number that is not ACTIVE with 422", async () => {
    expect((await queue({ connectionId: sender.connectionId, to: "not a number", type: "text", text: { body: "x" } })).status).toBe(422);
    expect((await queue({ connectionId: sender.connectionId, to: sender.customer, type: "image", image: {} })).status).toBe(422);
    await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { status: "INVALID" } });
    expect((await queue(textTo(sender))).status).toBe(422);
  });
});

describe("Idempotency-Key", () => {
  it("10 concurrent identical requests with one key: one row, one id, one Graph send", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => queue(textTo(sender, "only once"), { idempotencyKey: "order-17-confirmation" })));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(202));
    const ids = new Set(await Promise.all(answers.map(async (r) => ((await r.json()) as { data: { id: string } }).data.id)));
    expect(ids.size).toBe(1);
    expect(await prisma.outboundMessage.count({ where: { workspaceId: sender.workspaceId } })).toBe(1);
    await runAfterCallbacks();
    await drainNow();
    expect(sentBy(sender)).toHaveLength(1);
    // Later repeats still answer the same message.
    const again = await queue(textTo(sender, "only once"), { idempotencyKey: "order-17-confirmation" });
    expect(((await again.json()) as { data: { id: string } }).data.id).toBe([...ids][0]);
  });

  it("refuses a key reused for a different message (409)", async () => {
    expect((await queue(textTo(sender, "first"), { idempotencyKey: "k-1" })).status).toBe(202);
    const other = await queue({ ...textTo(sender), to: "15550009876" }, { idempotencyKey: "k-1" });
    expect(other.status).toBe(409);
  });
});

describe("who may call", () => {
  it("an owner's session from this site, but not cross-site", async () => {
    const owner = await ownerOf(sender.workspaceId);
    const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), cookie: owner.cookie }), none);
    expect(res.status).toBe(202);
    const cross = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), cookie: owner.cookie, origin: "https://evil.example" }), none);
    expect(cross.status).toBe(403);
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { workspaceId: sender.workspaceId } });
    expect(row.userId).toBe(owner.userId);
  });

  it("401 without credentials, with a revoked key, or with a Bearer that is not a key; touches lastUsedAt", async () => {
    expect((await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender) }), none)).status).toBe(401);
    expect((await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), apiKey: "wt_not-a-real-key-but-long-enough-xxxxxx" }), none)).status).toBe(401);
    expect((await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), apiKey: "EAAsomething" }), none)).status).toBe(401);
    const revoked = await createApiKey(sender.workspaceId);
    expect((await queue(textTo(sender), { apiKey: revoked })).status).toBe(202);
    const keyRow = await prisma.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(revoked) } });
    expect(keyRow.lastUsedAt).not.toBeNull();
    await prisma.apiKey.update({ where: { id: keyRow.id }, data: { revokedAt: new Date() } });
    const res = await queue(textTo(sender), { apiKey: revoked });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain(revoked);
  });

  it("another workspace's key: its connection and its messages are not found (404)", async () => {
    const { data } = (await (await queue(textTo(sender))).json()) as { data: { id: string } };
    const intruder = await createTestOwner("intruder");
    const intruderKey = await createApiKey(intruder.workspaceId);
    expect((await queue(textTo(sender), { apiKey: intruderKey })).status).toBe(404);
    expect((await getOne(apiRequest("GET", `/api/v1/messages/${data.id}`, { apiKey: intruderKey }), byId(data.id))).status).toBe(404);
    expect((await retryOne(apiRequest("POST", `/api/v1/messages/${data.id}/retry`, { apiKey: intruderKey }), byId(data.id))).status).toBe(404);
    const listed = (await (await list(apiRequest("GET", "/api/v1/messages", { apiKey: intruderKey }), none)).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
  });
});

describe("dead and failed sends", () => {
  it("are listed by state and retried one or all: back to QUEUED, due now, attempts reset, audit-logged", async () => {
    // Three sends to one customer: lift the pair rate so they need not be 6 s apart.
    await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { pairIntervalMs: 0 } });
    const ids: string[] = [];
    for (const body of ["one", "two", "three"]) ids.push(((await (await queue(textTo(sender, body))).json()) as { data: { id: string } }).data.id);
    await prisma.outboundMessage.updateMany({ where: { id: { in: ids.slice(0, 2) } }, data: { state: "DEAD", attempts: 10, nextAttemptAt: null, deadAt: new Date(), lastError: "boom" } });
    await prisma.outboundMessage.update({ where: { id: ids[2] }, data: { state: "FAILED", attempts: 1, nextAttemptAt: null, lastError: "undeliverable" } });

    const dead = (await (await list(apiRequest("GET", "/api/v1/messages?state=DEAD", { apiKey: sender.apiKey }), none)).json()) as { data: Array<{ id: string; status: string }> };
    expect(dead.data.map((d) => d.id).sort()).toEqual(ids.slice(0, 2).sort());
    const page = (await (await list(apiRequest("GET", "/api/v1/messages?limit=2", { apiKey: sender.apiKey }), none)).json()) as { data: unknown[]; nextCursor: string | null };
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();

    const one = await retryOne(apiRequest("POST", `/api/v1/messages/${ids[0]}/retry`, { apiKey: sender.apiKey }), byId(ids[0]!));
    expect(one.status).toBe(200);
    expect(await outboundRow(ids[0]!)).toMatchObject({ state: "QUEUED", attempts: 0, deadAt: null });
    expect((await retryOne(apiRequest("POST", `/api/v1/messages/${ids[0]}/retry`, { apiKey: sender.apiKey }), byId(ids[0]!))).status).toBe(409);

    const all = await retryAll(apiRequest("POST", "/api/v1/messages/retry", { apiKey: sender.apiKey, body: {} }), none);
    expect(await all.json()).toMatchObject({ data: { retried: 2 } });
    expect(await prisma.auditLog.count({ where: { action: { in: ["outbound.retry", "outbound.retry_all"] } } })).toBeGreaterThanOrEqual(2);
    await runAfterCallbacks();
    await drainNow();
    expect(sentBy(sender).map((m) => m.text).sort()).toEqual(["one", "three", "two"]);
  });
});
