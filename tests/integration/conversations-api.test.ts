import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as getConversation } from "@/app/api/v1/conversations/[id]/route";
import { GET as getMessages } from "@/app/api/v1/conversations/[id]/messages/route";
import { GET as listConversations } from "@/app/api/v1/conversations/route";
import { prisma } from "@/lib/db/client";
import { buildMessage, profileNameFor, statusUpdate, textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { ownerRequest, routeContext, type TestOwner } from "@/tests/helpers/owner-session";
import { ownerOf } from "@/tests/helpers/workspace-owner";
import { connectTestNumber, deliveryFor, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";

let number: TestNumber;
let owner: TestOwner;
beforeEach(async () => {
  graphSimulator().control.reset();
  number = await connectTestNumber({ autoReplyEnabled: false });
  owner = await ownerOf(number.workspaceId);
});
afterEach(async () => {
  await runAfterCallbacks();
});

async function deliver(change: Parameters<typeof deliveryFor>[1]) {
  expect((await postWebhook(deliveryFor(number, change))).status).toBe(200);
  await runAfterCallbacks();
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const list = async (query = "") => {
  const res = await listConversations(ownerRequest(owner, "GET", `/api/v1/conversations${query}`), routeContext({}));
  expect(res.status).toBe(200);
  return (await res.json()) as { data: Array<{ id: string; contact: { waId: string; name: string | null }; lastMessageText: string; window: { open: boolean; secondsLeft: number; expiresAt: string | null } }>; nextCursor: string | null };
};
const messages = async (id: string, query = "") => {
  const res = await getMessages(ownerRequest(owner, "GET", `/api/v1/conversations/${id}/messages${query}`), routeContext({ id }));
  expect(res.status).toBe(200);
  return (await res.json()) as { data: Array<{ wamid: string; direction: string; status: string; text: string; error: unknown; sentAt: string | null; readAt: string | null; timestamp: string; autoReply: boolean }>; nextCursor: string | null };
};

describe("conversations API", () => {
  it("lists conversations latest first with contact, last message and the 24-hour window", async () => {
    await deliver({ messages: [textMessage({ from: "15550000001", body: "old question", timestamp: minutesAgo(60 * 30) })] });
    await deliver({ messages: [textMessage({ from: "15550000002", body: "where is my order?", timestamp: minutesAgo(60) })] });
    await deliver({ messages: [textMessage({ from: "15550000003", body: "thanks!", timestamp: minutesAgo(1) })] });

    const { data, nextCursor } = await list();
    expect(data.map((c) => c.contact.waId)).toEqual(["15550000003", "15550000002", "15550000001"]);
    expect(nextCursor).toBeNull();
    expect(data[0]).toMatchObject({ lastMessageText: "thanks!", contact: { name: profileNameFor("15550000003") }, window: { open: true } });
    // opened an hour ago: about 23 hours left
    expect(data[1]!.window.secondsLeft).toBeGreaterThan(22.9 * 3600);
    expect(data[1]!.window.secondsLeft).toBeLessThanOrEqual(23 * 3600);
    // 30 hours ago: closed
    expect(data[2]!.window).toMatchObject({ open: false, secondsLeft: 0 });
  });

  it("pages with a keyset cursor without gaps or repeats, and rejects a forged cursor", async () => {
    for (let i = 0; i < 7; i++) await deliver({ messages: [textMessage({ from: `1555000010${i}`, timestamp: minutesAgo(10 - i) })] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.data.map((c) => c.contact.waId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `1555000010${i}`));

    const forged = await listConversations(ownerRequest(owner, "GET", "/api/v1/conversations?cursor=bm90LWEtY3Vyc29y"), routeContext({}));
    expect(forged.status).toBe(422);
    expect((await forged.json()).error.code).toBe("unprocessable_entity");
  });

  it("searches contact name, number (in any format) and message text, case-insensitively", async () => {
    await deliver({ messages: [textMessage({ from: "972501234567", body: "Do you ship to Haifa?" })] });
    const name = "Zeev Goldberg";
    await deliver({ contacts: [{ profile: { name }, wa_id: "15557654321" }], messages: [textMessage({ from: "15557654321", body: "hello" }), textMessage({ from: "15557654321", body: "50% off_today?" })] });

    const waIds = async (q: string) => (await list(`?q=${encodeURIComponent(q)}`)).data.map((c) => c.contact.waId);
    expect(await waIds("haifa")).toEqual(["972501234567"]);
    expect(await waIds("HELLO")).toEqual(["15557654321"]);
    expect(await waIds("zeev gold")).toEqual(["15557654321"]);
    expect(await waIds("50123")).toEqual(["972501234567"]);
    expect(await waIds("+1 (555) 765-4321")).toEqual(["15557654321"]);
    // LIKE's wildcards are taken literally
    expect(await waIds("50%")).toEqual(["15557654321"]);
    expect(await waIds("%")).toEqual(["15557654321"]);
    expect(await waIds("_")).toEqual(["15557654321"]);
    expect(await waIds("no such text")).toEqual([]);
  });

  it("opens one conversation; an unknown id is 404", async () => {
    await deliver({ messages: [textMessage({ from: "15550000009", body: "hi" })] });
    const [summary] = (await list()).data;
    const res = await getConversation(ownerRequest(owner, "GET", `/api/v1/conversations/${summary!.id}`), routeContext({ id: summary!.id }));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ id: summary!.id, contact: { waId: "15550000009" }, connection: { id: number.connectionId }, window: { open: true } });
    const missing = await getConversation(ownerRequest(owner, "GET", "/api/v1/conversations/nope"), routeContext({ id: "nope" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ success: false, error: { code: "not_found", message: "Conversation not found" } });
    expect((await getMessages(ownerRequest(owner, "GET", "/api/v1/conversations/nope/messages"), routeContext({ id: "nope" }))).status).toBe(404);
  });

  it("returns messages in order, newest page first, each page oldest first", async () => {
    const from = "15550000042";
    const batch = Array.from({ length: 5 }, (_, i) => textMessage({ from, body: `m${i}`, timestamp: minutesAgo(30 - i) }));
    // delivered out of order: the order comes from the messages' own timestamps
    await deliver({ messages: [batch[3]!, batch[0]!, batch[4]!] });
    await deliver({ messages: [batch[1]!, batch[2]!] });
    const [conversation] = (await list()).data;

    const latest = await messages(conversation!.id, "?limit=3");
    expect(latest.data.map((m) => m.text)).toEqual(["m2", "m3", "m4"]);
    const older = await messages(conversation!.id, `?limit=3&cursor=${latest.nextCursor}`);
    expect(older.data.map((m) => m.text)).toEqual(["m0", "m1"]);
    expect(older.nextCursor).toBeNull();
  });

  it("shows each outbound message's status and a failure's reason from Meta", async () => {
    await prisma.whatsAppConnection.update({ where: { id: number.connectionId }, data: { autoReplyEnabled: true } });
    const from = "15550000077";
    await deliver({ messages: [buildMessage("audio", { from })] });
    await deliver({ messages: [buildMessage("sticker", { from })] });
    await deliver({ messages: [buildMessage("video", { from })] });
    const replies = graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === number.phoneNumberId).map((m) => m.wamid);
    expect(replies).toHaveLength(3);
    const now = Math.floor(Date.now() / 1000);
    await deliver({
      statuses: [
        statusUpdate("sent", { wamid: replies[0], recipientId: from, timestamp: now }),
        statusUpdate("delivered", { wamid: replies[1], recipientId: from, timestamp: now }),
        statusUpdate("read", { wamid: replies[1], recipientId: from, timestamp: now + 1 }),
        statusUpdate("failed", { wamid: replies[2], recipientId: from, timestamp: now, error: { code: 131026, title: "Message undeliverable", details: "Receiver is incapable of receiving this message" } }),
      ],
    });
    const [conversation] = (await list()).data;
    const { data } = await messages(conversation!.id);
    const byWamid = new Map(data.map((m) => [m.wamid, m]));
    expect(data.filter((m) => m.direction === "INBOUND")).toHaveLength(3);
    expect(byWamid.get(replies[0]!)).toMatchObject({ direction: "OUTBOUND", status: "SENT", autoReply: true, error: null });
    expect(byWamid.get(replies[1]!)).toMatchObject({ status: "READ", readAt: new Date((now + 1) * 1000).toISOString() });
    expect(byWamid.get(replies[2]!)).toMatchObject({ status: "FAILED", error: { code: 131026, title: "Message undeliverable", details: "Receiver is incapable of receiving this message" } });
  });

  it("needs a session", async () => {
    expect((await listConversations(ownerRequest(null, "GET", "/api/v1/conversations"), routeContext({}))).status).toBe(401);
  });
});
