import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { GET } from "@/app/api/v1/webhooks/whatsapp/route";
import { signBody, textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { connectTestNumber, deliveryFor, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";

let number: TestNumber;
beforeEach(async () => {
  number = await connectTestNumber();
});
afterEach(async () => {
  await runAfterCallbacks();
});

const stored = () => prisma.webhookEvent.count();

describe("GET /api/v1/webhooks/whatsapp — verify handshake", () => {
  const get = (query: string) => GET(new Request(`http://localhost/api/v1/webhooks/whatsapp?${query}`));

  it("echoes the challenge as text for the configured verify token", async () => {
    const res = await get(`hub.mode=subscribe&hub.verify_token=${process.env.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toBe("1158201444");
  });

  it("answers 403 to a wrong token or mode", async () => {
    expect((await get("hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")).status).toBe(403);
    expect((await get(`hub.mode=other&hub.verify_token=${process.env.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
    expect((await get("")).status).toBe(403);
  });
});

describe("POST /api/v1/webhooks/whatsapp — signature", () => {
  const body = () => deliveryFor(number, { messages: [textMessage({ body: "שלום 👋" })] });

  it.each([
    ["a missing", null],
    ["an empty", ""],
    ["a short", "sha256=abcd"],
    ["a non-hex", `sha256=${"g".repeat(64)}`],
    ["an unprefixed", "0".repeat(64)],
  ])("answers 401 to %s signature and stores nothing", async (_, signature) => {
    const before = await stored();
    const res = await postWebhook(body(), signature);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ success: false, error: { code: "unauthorized", message: expect.stringContaining("X-Hub-Signature-256") } });
    expect(await stored()).toBe(before);
  });

  it("answers 401 to a signature made with another secret, or over other bytes", async () => {
    const raw = body();
    const before = await stored();
    expect((await postWebhook(raw, signBody(raw, "not-the-app-secret"))).status).toBe(401);
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect((await postWebhook(reserialised, signBody(raw, process.env.WHATSAPP_APP_SECRET!))).status).toBe(401);
    expect(await stored()).toBe(before);
  });

  it("stores a signed delivery before answering 200, byte for byte", async () => {
    const raw = body();
    const res = await postWebhook(raw);
    expect(res.status).toBe(200);
    const events = await prisma.webhookEvent.findMany();
    const event = events.find((e) => Buffer.from(e.rawBody).toString("utf8") === raw);
    expect(event).toMatchObject({ state: "PENDING", signatureValid: true, deliveries: 1 });
    expect(raw).toContain("\\u05e9"); // Meta's escaped form is what was kept and signed
    await runAfterCallbacks();
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event!.id } })).toMatchObject({ state: "PROCESSED", workspaceId: number.workspaceId });
  });

  it("accepts a signature computed independently with node:crypto", async () => {
    const raw = body();
    const hex = createHmac("sha256", process.env.WHATSAPP_APP_SECRET!).update(raw).digest("hex");
    expect((await postWebhook(raw, `sha256=${hex}`)).status).toBe(200);
  });
});

describe("POST /api/v1/webhooks/whatsapp — signed but malformed", () => {
  it.each([
    ["not JSON", "{not json"],
    ["another object", JSON.stringify({ object: "page", entry: [] })],
    ["messages without metadata", JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: { messages: [] } }] }] })],
    ["a message without id", JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: { metadata: { phone_number_id: "1" }, messages: [{ from: "1", timestamp: "1", type: "text" }] } }] }] })],
  ])("keeps %s byte for byte, answers 200, and processing flags it FAILED with the parse error", async (_, raw) => {
    const res = await postWebhook(raw);
    expect(res.status).toBe(200);
    const stored = await prisma.webhookEvent.findFirstOrThrow({ orderBy: { receivedAt: "desc" } });
    expect(Buffer.from(stored.rawBody).toString("utf8")).toBe(raw);
    await runAfterCallbacks();
    const event = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: stored.id } });
    expect(event).toMatchObject({ state: "FAILED", errorKind: "MALFORMED", nextAttemptAt: null, attempts: 1 });
    expect(event.lastError).toBeTruthy();
    // not retried automatically: a person looks at it
    const { processWebhookEvent } = await import("@/lib/webhooks/process-webhook-event");
    expect(await processWebhookEvent(event.id)).toBe("not_claimed");
  });
});
