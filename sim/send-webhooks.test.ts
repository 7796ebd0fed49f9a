import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runScenario, sendDelivery, summarizeLatency } from "@/sim/send-webhooks";
import { buildDelivery, serializeLikeMeta, textMessage, type WebhookDelivery } from "@/sim/webhook-payloads";

const SECRET = "test-app-secret";

interface Received {
  raw: Buffer;
  signatureOk: boolean;
  userAgent: string | undefined;
}

// A stand-in receiver that checks signatures the way the app must: HMAC over the raw bytes.
let server: Server;
let url: string;
let received: Received[] = [];
let answerWith = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
      received.push({ raw, signatureOk: given.length === expected.length && timingSafeEqual(given, expected), userAgent: req.headers["user-agent"] });
      res.writeHead(answerWith).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  answerWith = 200;
});

const parse = (r: Received): WebhookDelivery => JSON.parse(r.raw.toString("utf8"));

describe("sendDelivery", () => {
  it("sends Meta's escaped JSON with a valid signature and reports status and latency", async () => {
    const body = buildDelivery({ wabaId: "W", phoneNumberId: "P", displayPhoneNumber: "15550001111", messages: [textMessage({ body: "שלום 😀" })] });
    const result = await sendDelivery({ url, appSecret: SECRET, body });
    expect(result.status).toBe(200);
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureOk).toBe(true);
    expect(received[0]!.raw.toString("utf8")).toBe(serializeLikeMeta(body));
    expect(received[0]!.userAgent).toBe("facebookexternalua");
  });

  it("sends a string body byte for byte", async () => {
    await sendDelivery({ url, appSecret: SECRET, body: '{"object":"x"}' });
    expect(received[0]!.raw.toString("utf8")).toBe('{"object":"x"}');
    expect(received[0]!.signatureOk).toBe(true);
  });

  it("reports the receiver's status, and 0 with an error when nothing answers", async () => {
    answerWith = 500;
    expect((await sendDelivery({ url, appSecret: SECRET, body: {} })).status).toBe(500);
    const down = await sendDelivery({ url: "http://127.0.0.1:1/webhook", appSecret: SECRET, body: {} });
    expect(down.status).toBe(0);
    expect(down.error).toEqual(expect.any(String));
  });
});

describe("runScenario", () => {
  it("delivers N messages and their statuses in batches, with redeliveries and concurrent copies", async () => {
    const result = await runScenario({
      url,
      appSecret: SECRET,
      wabaId: "W1",
      phoneNumberId: "P1",
      messages: 6,
      types: ["text", "image", "system_user_changed_number"],
      statuses: true,
      batchSize: 4,
      duplicates: 2,
      concurrentCopies: 3,
    });
    const items = 6 + 6 * 3;
    expect(result.deliveries).toBe(Math.ceil(items / 4));
    expect(result.requests).toHaveLength(result.deliveries * 2 * 3);
    expect(received).toHaveLength(result.requests.length);
    expect(received.every((r) => r.signatureOk)).toBe(true);
    expect(result.summary).toMatchObject({ count: result.requests.length, failed: 0, byStatus: { "200": result.requests.length } });

    // Each distinct body arrives exactly 2 × 3 times, byte-identical.
    const counts = new Map<string, number>();
    for (const r of received) counts.set(r.raw.toString(), (counts.get(r.raw.toString()) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(result.deliveries).fill(6));

    const bodies = [...counts.keys()].map((raw) => JSON.parse(raw) as WebhookDelivery);
    const values = bodies.flatMap((b) => b.entry.flatMap((e) => e.changes.map((c) => c.value)));
    const messages = values.flatMap((v) => v.messages ?? []);
    const statuses = values.flatMap((v) => v.statuses ?? []);
    expect(messages.map((m) => m.id).sort()).toEqual([...result.messageIds].sort());
    expect(messages.map((m) => m.type)).toEqual(["text", "image", "system", "text", "image", "system"]);
    expect(statuses).toHaveLength(18);
    expect(new Set(statuses.map((s) => s.id))).toEqual(new Set(result.statusWamids));
  });

  it("shuffles statuses out of order, reproducibly for a seed", async () => {
    const run = async () => {
      received = [];
      await runScenario({ url, appSecret: SECRET, wabaId: "W", phoneNumberId: "P", messages: 10, statuses: true, shuffle: true, seed: 42 });
      return received.flatMap((r) => parse(r).entry[0]!.changes[0]!.value.statuses ?? []).map((s) => `${s.id}:${s.status}`);
    };
    const first = await run();
    const second = await run();
    expect(first).toHaveLength(30);
    // Same seed, same order of (random) wamids is not comparable across runs; compare the status pattern.
    expect(first.map((s) => s.split(":")[1])).toEqual(second.map((s) => s.split(":")[1]));
    const inOrder = (list: string[]) =>
      [...new Set(list.map((s) => s.split(":")[0]))].every((id) => {
        const seq = list.filter((s) => s.startsWith(`${id}:`)).map((s) => s.split(":")[1]);
        return seq.join() === "sent,delivered,read";
      });
    expect(inOrder(first)).toBe(false);
  });

  it("summarises latency percentiles", () => {
    expect(summarizeLatency([5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).toEqual({ count: 10, p50Ms: 5, p95Ms: 10, maxMs: 10 });
    expect(summarizeLatency([])).toEqual({ count: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });
});
