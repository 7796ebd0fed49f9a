import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { DEFAULT_AUTO_REPLY_TEXT } from "@/lib/messages/send-auto-reply";
import { MESSAGE_VARIANTS, buildMessage, imageMessage, systemUserChangedNumber, textMessage, type MessageVariant } from "@/sim/webhook-payloads";
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

async function deliver(messages: ReturnType<typeof textMessage>[]) {
  const res = await postWebhook(deliveryFor(number, { messages }));
  expect(res.status).toBe(200);
  await runAfterCallbacks();
}

const repliesTo = (phoneNumberId: string) => graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === phoneNumberId);
const EXPECTED_TYPE: Record<MessageVariant, string> = {
  text: "text", image: "image", audio: "audio", video: "video", document: "document", sticker: "sticker", location: "location",
  contacts: "contacts", interactive_button_reply: "interactive", interactive_list_reply: "interactive", button: "button",
  reaction: "reaction", order: "order", system_user_changed_number: "system", system_user_changed_user_id: "system", unsupported: "unsupported",
};

describe("inbound messages", () => {
  it.each(Object.keys(MESSAGE_VARIANTS) as MessageVariant[])("stores a %s message with its content, contact and conversation", async (variant) => {
    const message = buildMessage(variant, { timestamp: new Date() });
    await deliver([message]);
    const row = await prisma.message.findUniqueOrThrow({ where: { wamid: message.id }, include: { contact: true, conversation: true } });
    expect(row).toMatchObject({ direction: "INBOUND", type: EXPECTED_TYPE[variant], status: "RECEIVED", workspaceId: number.workspaceId, connectionId: number.connectionId });
    expect(row.content).toEqual(JSON.parse(JSON.stringify(message)));
    expect(row.text).toBeTruthy();
    expect(row.timestamp.getTime()).toBe(Number(message.timestamp) * 1000);
    expect(row.conversation.messageCount).toBe(1);
  });

  it("keeps the customer's profile name and the text for previews", async () => {
    const message = textMessage({ body: "Do you deliver on Fridays?" });
    await deliver([message]);
    const row = await prisma.message.findUniqueOrThrow({ where: { wamid: message.id }, include: { contact: true, conversation: true } });
    expect(row.text).toBe("Do you deliver on Fridays?");
    expect(row.contact.waId).toBe(message.from);
    expect(row.contact.profileName).toBeTruthy();
    expect(row.conversation.lastMessageText).toBe("Do you deliver on Fridays?");
  });

  it("opens the 24-hour window from the message's timestamp, and only a later message extends it", async () => {
    const from = "972501234567";
    const t0 = new Date(Date.now() - 60 * 60_000);
    const t1 = new Date(Date.now() - 30 * 60_000);
    await deliver([textMessage({ from, timestamp: t1 })]);
    await deliver([textMessage({ from, timestamp: t0 })]); // older, arrives late
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { connectionId: number.connectionId } });
    const t1s = Math.floor(t1.getTime() / 1000) * 1000;
    expect(conversation.lastInboundAt?.getTime()).toBe(t1s);
    expect(conversation.windowExpiresAt?.getTime()).toBe(t1s + 24 * 60 * 60_000);
    expect(conversation.messageCount).toBe(2);
  });

  it("follows a user_changed_number system message onto the contact", async () => {
    const from = "972501111111";
    await deliver([textMessage({ from })]);
    const change = systemUserChangedNumber({ from, newWaId: "972502222222" });
    await deliver([change]);
    const contact = await prisma.contact.findFirstOrThrow({ where: { workspaceId: number.workspaceId } });
    expect(contact).toMatchObject({ waId: "972502222222", previousWaId: from });
    // the next message from the new number joins the same conversation
    await deliver([textMessage({ from: "972502222222" })]);
    expect(await prisma.conversation.count({ where: { connectionId: number.connectionId } })).toBe(1);
  });

  it("records one activity event per new message", async () => {
    const message = textMessage();
    await deliver([message]);
    await deliver([message]);
    const events = await prisma.activityEvent.findMany({ where: { workspaceId: number.workspaceId, type: "message.received" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ wamid: message.id });
  });
});

describe("auto-reply", () => {
  it("answers unsupported types with the default Hebrew text, quoting the message", async () => {
    const message = buildMessage("audio");
    await deliver([message]);
    const replies = repliesTo(number.phoneNumberId);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ to: message.from, text: DEFAULT_AUTO_REPLY_TEXT, replyTo: message.id });
    const inbound = await prisma.message.findUniqueOrThrow({ where: { wamid: message.id } });
    expect(inbound).toMatchObject({ autoReplyState: "SENT", autoReplyWamid: replies[0]!.wamid });
    const outbound = await prisma.message.findUniqueOrThrow({ where: { wamid: replies[0]!.wamid } });
    expect(outbound).toMatchObject({ direction: "OUTBOUND", status: "PENDING", replyToId: inbound.id, text: DEFAULT_AUTO_REPLY_TEXT });
  });

  it("does not answer text or image", async () => {
    await deliver([textMessage(), imageMessage()]);
    expect(repliesTo(number.phoneNumberId)).toHaveLength(0);
  });

  it("uses the connection's own text and types, and can be switched off", async () => {
    const custom = await connectTestNumber({ autoReplyText: "Text only please", autoReplyTypes: ["text"] });
    number = custom;
    await deliver([textMessage(), buildMessage("video")]);
    expect(repliesTo(custom.phoneNumberId).map((r) => r.text)).toEqual(["Text only please"]);

    number = await connectTestNumber({ autoReplyEnabled: false });
    await deliver([buildMessage("sticker")]);
    expect(repliesTo(number.phoneNumberId)).toHaveLength(0);
  });

  it("does not reply to a message whose 24-hour window has closed (a late replay)", async () => {
    await deliver([buildMessage("audio", { timestamp: new Date(Date.now() - 25 * 60 * 60_000) })]);
    expect(repliesTo(number.phoneNumberId)).toHaveLength(0);
  });

  it("a failed reply is recorded and never fails the message", async () => {
    graphSimulator().control.script({ pathPattern: "/messages$", phoneNumberId: number.phoneNumberId, error: { code: 131047 } });
    const message = buildMessage("document");
    const res = await postWebhook(deliveryFor(number, { messages: [message] }));
    expect(res.status).toBe(200);
    await runAfterCallbacks();
    expect(await prisma.message.findUniqueOrThrow({ where: { wamid: message.id } })).toMatchObject({ autoReplyState: "FAILED" });
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { workspaceId: number.workspaceId } });
    expect(event.state).toBe("PROCESSED");
  });
});
