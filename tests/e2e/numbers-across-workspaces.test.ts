import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// Two workspaces on the built app under `next start` (real PostgreSQL and Redis), fed by the Meta
// simulator over HTTP: a status can only change a message of the number that reported it, and a number
// is held by one workspace at a time — free again for another once removed.
const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

describe.skipIf(!onServer)("numbers across workspaces, on next start", () => {
  let server: NextServer;
  const port = 4200 + (process.pid % 90);

  beforeAll(async () => {
    server = await startNextServer({
      port,
      env: {
        DATABASE_URL: process.env.DATABASE_URL,
        REDIS_URL: process.env.TEST_REDIS_URL,
        REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX,
        WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN,
        TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
        SESSION_SECRET: process.env.SESSION_SECRET,
        GRAPH_API_BASE_URL: process.env.GRAPH_API_BASE_URL,
        LOG_LEVEL: "warn",
      },
    });
  });
  afterAll(async () => server?.stop());

  async function deliver(raw: string): Promise<void> {
    const { sendDelivery } = await import("@/sim/send-webhooks");
    const res = await sendDelivery({ url: `${server.url}/api/v1/webhooks/whatsapp`, appSecret: process.env.WHATSAPP_APP_SECRET!, body: raw });
    expect(res.status).toBe(200);
    await settled();
  }

  async function settled(timeoutMs = 30_000): Promise<void> {
    const { prisma } = await import("@/lib/db/client");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await prisma.webhookEvent.count({ where: { state: { in: ["PENDING", "PROCESSING"] } } })) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("deliveries still open after the timeout");
  }

  async function asOwner(owner: { cookie: string }, method: string, path: string, body?: unknown): Promise<{ status: number; json: { data?: unknown; error?: { message: string } } }> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: owner.cookie, ...(method === "GET" ? {} : { origin: server.url }), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json() };
  }

  it("a signed status for workspace A's message, arriving on workspace B's number, changes nothing of A's and shows B nothing", async () => {
    const { prisma } = await import("@/lib/db/client");
    const { connectTestNumber, deliveryFor, graphSimulator } = await import("@/tests/helpers/webhook-harness");
    const { buildMessage, statusUpdate } = await import("@/sim/webhook-payloads");
    const { ownerOf } = await import("@/tests/helpers/workspace-owner");
    const a = await connectTestNumber();
    const b = await connectTestNumber();
    const ownerB = await ownerOf(b.workspaceId);

    // A's outbound message: the auto-reply to an audio message, sent through the simulator.
    await deliver(deliveryFor(a, { messages: [buildMessage("audio")] }));
    const sent = graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === a.phoneNumberId);
    expect(sent).toHaveLength(1);
    const wamid = sent[0]!.wamid;
    const before = await prisma.message.findUniqueOrThrow({ where: { wamid } });
    expect(before).toMatchObject({ connectionId: a.connectionId, direction: "OUTBOUND" });
    expect(before.status).not.toBe("READ");
    expect(before.text).toBeTruthy();
    const activityOfA = await prisma.activityEvent.count({ where: { workspaceId: a.workspaceId } });

    // The same wamid reported on B's number: read, then failed (correctly signed, B's WABA and number).
    const base = Math.floor(Date.now() / 1000);
    await deliver(deliveryFor(b, { statuses: [statusUpdate("read", { wamid, recipientId: sent[0]!.waId, timestamp: base })] }));
    await deliver(deliveryFor(b, { statuses: [statusUpdate("failed", { wamid, recipientId: sent[0]!.waId, timestamp: base + 1, error: { code: 131026, title: "Message undeliverable" } })] }));

    // A's message and A's feed are untouched.
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid } })).toEqual(before);
    expect(await prisma.activityEvent.count({ where: { workspaceId: a.workspaceId } })).toBe(activityOfA);
    // B sees nothing of A's: no conversation, no message, nothing A stored (B's own feed may say what B's
    // number reported — that a message failed — which is only what B's delivery itself carried).
    expect(await prisma.message.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
    const conversations = await asOwner(ownerB, "GET", "/api/v1/conversations");
    expect(conversations.status).toBe(200);
    expect(JSON.stringify(conversations.json)).not.toContain(sent[0]!.waId);
    const activity = await asOwner(ownerB, "GET", "/api/v1/activity");
    expect(activity.status).toBe(200);
    for (const ofA of [before.text!, before.id, before.conversationId, a.connectionId, a.phoneNumberId]) expect(JSON.stringify(activity.json)).not.toContain(ofA);

    // The control: the same status on A's own number does change A's message.
    await deliver(deliveryFor(a, { statuses: [statusUpdate("read", { wamid, recipientId: sent[0]!.waId, timestamp: base + 2 })] }));
    expect((await prisma.message.findUniqueOrThrow({ where: { wamid } })).status).toBe("READ");
  });

  it("a number is held by one workspace at a time: refused elsewhere before any call to Meta, free for another once removed", async () => {
    const { prisma } = await import("@/lib/db/client");
    const { graphSimulator } = await import("@/tests/helpers/webhook-harness");
    const { createTestOwner } = await import("@/tests/helpers/owner-session");
    const sim = graphSimulator().control;
    const digits = () => String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
    const number = { wabaId: digits(), phoneNumberId: digits() };
    const [first, second] = [await createTestOwner("first"), await createTestOwner("second")];

    const connected = await asOwner(first, "POST", "/api/v1/connections", { ...number, accessToken: `EAAT${digits()}first` });
    expect(connected.status).toBe(201);
    const firstId = (connected.json.data as { id: string }).id;

    sim.reset();
    const held = await asOwner(second, "POST", "/api/v1/connections", { ...number, accessToken: `EAAT${digits()}second` });
    expect(held.status).toBe(409);
    expect(held.json.error?.message).toMatch(/another WhaTrack workspace/);
    expect(sim.requests()).toEqual([]);

    expect((await asOwner(first, "DELETE", `/api/v1/connections/${firstId}`)).status).toBe(200);
    // Past the routing cache's TTL, as if removed a while ago.
    await prisma.$executeRaw`UPDATE "WhatsAppConnection" SET "updatedAt" = now() - interval '1 hour' WHERE id = ${firstId}`;
    const moved = await asOwner(second, "POST", "/api/v1/connections", { ...number, accessToken: `EAAT${digits()}second` });
    expect(moved.status).toBe(201);
    expect(await prisma.whatsAppConnection.findMany({ where: { phoneNumberId: number.phoneNumberId }, orderBy: { createdAt: "asc" }, select: { workspaceId: true, status: true } })).toEqual([
      { workspaceId: first.workspaceId, status: "REMOVED" },
      { workspaceId: second.workspaceId, status: "ACTIVE" },
    ]);

    // A WhatsApp Business Account that does not list the number: a clear 422, nothing subscribed.
    const stranger = digits();
    sim.setNumber(stranger, { wabaId: digits() });
    const notThere = await asOwner(second, "POST", "/api/v1/connections", { wabaId: number.wabaId, phoneNumberId: stranger, accessToken: `EAAT${digits()}second` });
    expect(notThere.status).toBe(422);
    expect(notThere.json.error?.message).toMatch(new RegExp(`Phone number ${stranger} is not in WhatsApp Business Account ${number.wabaId}`));
    expect(sim.requests().filter((r) => r.endpoint === "POST /{waba-id}/subscribed_apps" && r.wabaId === number.wabaId)).toHaveLength(1); // the move's only
  });
});
