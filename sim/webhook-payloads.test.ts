import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MESSAGE_VARIANTS,
  buildDelivery,
  buildMessage,
  failedStatus,
  reactionMessage,
  serializeLikeMeta,
  signBody,
  statusUpdate,
  systemUserChangedNumber,
  textMessage,
  type MessageVariant,
  type StatusKind,
  type WebhookMessage,
} from "@/sim/webhook-payloads";

// Fields META.md (and Meta's webhook reference) list for each message type, as dotted paths.
const REQUIRED_FIELDS: Record<MessageVariant, { type: string; paths: string[] }> = {
  text: { type: "text", paths: ["text.body"] },
  image: { type: "image", paths: ["image.id", "image.mime_type", "image.sha256"] },
  audio: { type: "audio", paths: ["audio.id", "audio.mime_type", "audio.sha256", "audio.voice"] },
  video: { type: "video", paths: ["video.id", "video.mime_type", "video.sha256"] },
  document: { type: "document", paths: ["document.id", "document.mime_type", "document.sha256", "document.filename"] },
  sticker: { type: "sticker", paths: ["sticker.id", "sticker.mime_type", "sticker.sha256", "sticker.animated"] },
  location: { type: "location", paths: ["location.latitude", "location.longitude"] },
  contacts: { type: "contacts", paths: ["contacts.0.name.formatted_name", "contacts.0.phones.0.phone", "contacts.0.phones.0.wa_id"] },
  interactive_button_reply: {
    type: "interactive",
    paths: ["interactive.type", "interactive.button_reply.id", "interactive.button_reply.title", "context.from", "context.id"],
  },
  interactive_list_reply: {
    type: "interactive",
    paths: ["interactive.type", "interactive.list_reply.id", "interactive.list_reply.title", "interactive.list_reply.description", "context.id"],
  },
  button: { type: "button", paths: ["button.payload", "button.text", "context.id"] },
  reaction: { type: "reaction", paths: ["reaction.message_id", "reaction.emoji"] },
  order: {
    type: "order",
    paths: ["order.catalog_id", "order.product_items.0.product_retailer_id", "order.product_items.0.quantity", "order.product_items.0.item_price", "order.product_items.0.currency"],
  },
  system_user_changed_number: { type: "system", paths: ["system.body", "system.wa_id", "system.type"] },
  system_user_changed_user_id: { type: "system", paths: ["system.body", "system.user_id", "system.type"] },
  unsupported: { type: "unsupported", paths: ["errors.0.code", "errors.0.title", "errors.0.message", "errors.0.error_data.details"] },
};

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v != null && typeof v === "object" ? Reflect.get(v, key) : undefined), value);
}

const WAMID = /^wamid\.[A-Za-z0-9+/]+=*$/;

describe("message builders", () => {
  it("cover every variant", () => {
    expect(Object.keys(MESSAGE_VARIANTS).sort()).toEqual(Object.keys(REQUIRED_FIELDS).sort());
  });

  it.each(Object.entries(REQUIRED_FIELDS))("%s has the common and type-specific fields", (variant, spec) => {
    const m = buildMessage(variant as MessageVariant, { from: "15551230000", timestamp: 1739321024 });
    expect(m).toMatchObject({ from: "15551230000", timestamp: "1739321024", type: spec.type });
    expect(m.id).toMatch(WAMID);
    for (const path of spec.paths) expect(at(m, path), path).toBeDefined();
  });

  it("fills the interactive sub-type and the system sub-type", () => {
    expect(at(buildMessage("interactive_button_reply"), "interactive.type")).toBe("button_reply");
    expect(at(buildMessage("interactive_list_reply"), "interactive.type")).toBe("list_reply");
    expect(at(buildMessage("system_user_changed_number"), "system.type")).toBe("user_changed_number");
    expect(at(buildMessage("system_user_changed_user_id"), "system.type")).toBe("user_changed_user_id");
    expect(at(buildMessage("unsupported"), "errors.0.code")).toBe(131051);
  });

  it("a removed reaction has no emoji", () => {
    expect(reactionMessage({ messageId: "wamid.X", emoji: "" }).reaction).toEqual({ message_id: "wamid.X" });
  });

  it("timestamps are epoch-second strings by default", () => {
    const ts = Number(textMessage().timestamp);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
    expect(textMessage({ timestamp: new Date("2025-02-12T00:43:44Z") }).timestamp).toBe("1739321024");
  });

  it("wamids are unique and base64-shaped", () => {
    const ids = new Set(Array.from({ length: 2000 }, () => textMessage({ from: "15551230000" }).id));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(WAMID);
  });
});

describe("status builders", () => {
  it.each<StatusKind>(["sent", "delivered", "read", "played", "failed"])("%s carries id, status, timestamp, recipient", (kind) => {
    const s = statusUpdate(kind, { wamid: "wamid.ABC", recipientId: "15551230000", timestamp: 1739321024 });
    expect(s).toMatchObject({ id: "wamid.ABC", status: kind, timestamp: "1739321024", recipient_id: "15551230000" });
    expect(s.conversation).toBeUndefined();
    expect(s.pricing).toBeUndefined();
  });

  it("failed carries errors[{ code, title, message, error_data.details }]", () => {
    const s = failedStatus({ error: { code: 131047, title: "Re-engagement message", details: "More than 24 hours" } });
    expect(s.errors).toEqual([{ code: 131047, title: "Re-engagement message", message: "Re-engagement message", error_data: { details: "More than 24 hours" } }]);
    expect(failedStatus().errors?.[0]?.code).toBe(131026);
  });

  it("billing adds conversation and pricing to sent and delivered only", () => {
    expect(statusUpdate("sent", { billing: true })).toMatchObject({
      conversation: { id: expect.any(String), origin: { type: "service" } },
      pricing: { billable: true, category: "service" },
    });
    expect(statusUpdate("read", { billing: true }).pricing).toBeUndefined();
  });
});

describe("buildDelivery", () => {
  it("wraps one change in Meta's envelope with contacts derived from senders", () => {
    const messages = [textMessage({ from: "15550000001" }), textMessage({ from: "15550000001" }), textMessage({ from: "15550000002" })];
    const d = buildDelivery({ wabaId: "102290129340398", phoneNumberId: "106540352242922", displayPhoneNumber: "+1 555-078-3881", messages });
    expect(d.object).toBe("whatsapp_business_account");
    expect(d.entry).toHaveLength(1);
    const change = d.entry[0]!.changes[0]!;
    expect(change.field).toBe("messages");
    expect(change.value.messaging_product).toBe("whatsapp");
    expect(change.value.metadata).toEqual({ display_phone_number: "15550783881", phone_number_id: "106540352242922" });
    expect(change.value.contacts?.map((c) => c.wa_id)).toEqual(["15550000001", "15550000002"]);
    expect(change.value.contacts?.[0]?.profile.name).toEqual(expect.any(String));
    expect(change.value.messages).toHaveLength(3);
    expect(change.value.statuses).toBeUndefined();
  });

  it("system messages come without a contacts array", () => {
    const d = buildDelivery({ wabaId: "1", phoneNumberId: "2", displayPhoneNumber: "3", messages: [systemUserChangedNumber()] });
    expect(d.entry[0]!.changes[0]!.value).not.toHaveProperty("contacts");
  });

  it("batches many entries and changes", () => {
    const change = (id: string, messages: WebhookMessage[]) => ({ phoneNumberId: id, displayPhoneNumber: "15550001111", messages });
    const d = buildDelivery({
      entries: [
        { wabaId: "W1", changes: [change("P1", [textMessage()]), change("P2", [textMessage(), textMessage()])] },
        { wabaId: "W2", changes: [{ phoneNumberId: "P3", displayPhoneNumber: "15550002222", statuses: [statusUpdate("read")] }] },
      ],
    });
    expect(d.entry.map((e) => e.id)).toEqual(["W1", "W2"]);
    expect(d.entry[0]!.changes.map((c) => c.value.metadata.phone_number_id)).toEqual(["P1", "P2"]);
    expect(d.entry[1]!.changes[0]!.value.statuses).toHaveLength(1);
    expect(d.entry[1]!.changes[0]!.value).not.toHaveProperty("contacts");
  });
});

describe("serializeLikeMeta", () => {
  const payload = { text: { body: "שלום 👋 café" }, nested: [{ name: "יעל" }], plain: "a/b" };

  it("escapes every non-ASCII character as \\uXXXX (emoji as a surrogate pair)", () => {
    const wire = serializeLikeMeta(payload);
    expect(wire).toMatch(/^[\x20-\x7e]*$/);
    expect(wire).toContain("\\u05e9\\u05dc\\u05d5\\u05dd"); // שלום
    expect(wire).toContain("\\ud83d\\udc4b"); // 👋
    expect(wire).toContain("caf\\u00e9");
    expect(wire).not.toBe(JSON.stringify(payload));
  });

  it("parses back to the same object", () => {
    expect(JSON.parse(serializeLikeMeta(payload))).toEqual(payload);
  });

  it("can escape slashes too", () => {
    expect(serializeLikeMeta(payload, { escapeSlashes: true })).toContain('"a\\/b"');
    expect(JSON.parse(serializeLikeMeta(payload, { escapeSlashes: true }))).toEqual(payload);
  });
});

describe("signBody", () => {
  async function webCryptoHmac(raw: string, secret: string): Promise<string> {
    const key = await webcrypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = await webcrypto.subtle.sign("HMAC", key, new TextEncoder().encode(raw));
    return Buffer.from(mac).toString("hex");
  }

  it("matches an independent HMAC-SHA256 of the raw bytes", async () => {
    const raw = serializeLikeMeta(buildDelivery({ wabaId: "1", phoneNumberId: "2", displayPhoneNumber: "3", messages: [textMessage({ body: "שלום 😀" })] }));
    const signature = signBody(raw, "app-secret-123");
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signature).toBe(`sha256=${await webCryptoHmac(raw, "app-secret-123")}`);
    expect(signBody(Buffer.from(raw, "utf8"), "app-secret-123")).toBe(signature);
  });

  it("differs for the re-serialised (unescaped) form", () => {
    const obj = { text: "שלום" };
    expect(signBody(serializeLikeMeta(obj), "s")).not.toBe(signBody(JSON.stringify(obj), "s"));
  });
});
