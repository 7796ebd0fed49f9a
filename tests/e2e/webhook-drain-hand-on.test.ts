import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// The drain's hand-on over real HTTP: with APP_URL set, a drain whose budget ends with rows still due
// calls /api/v1/webhooks/drain (a fresh invocation) instead of outliving its own.
const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

describe.skipIf(!onServer)("drain hand-on on next start", () => {
  let server: NextServer;
  const port = 3800 + (process.pid % 90);

  beforeAll(async () => {
    // The server inherits this file's environment (its database, Redis, secrets, the simulator's URL).
    server = await startNextServer({
      port,
      env: { APP_URL: `http://127.0.0.1:${port}`, WEBHOOK_DRAIN_BUDGET_SECONDS: "1", WEBHOOK_DRAIN_CONCURRENCY: "1", LOG_LEVEL: "info" },
    });
  });
  afterAll(async () => server?.stop());

  it("a delivery too large for one invocation's budget finishes through fresh invocations", async () => {
    const { connectTestNumber, deliveryFor } = await import("@/tests/helpers/webhook-harness");
    const { sendDelivery } = await import("@/sim/send-webhooks");
    const { textMessage } = await import("@/sim/webhook-payloads");
    const { prisma } = await import("@/lib/db/client");
    const number = await connectTestNumber();
    const size = 6_000;
    const customers = Array.from({ length: 300 }, (_, i) => `9725${String(i).padStart(8, "0")}`);
    const messages = Array.from({ length: size }, (_, i) => textMessage({ from: customers[i % customers.length], body: `bulk ${i}` }));
    const body = deliveryFor(number, { messages });
    const res = await sendDelivery({ url: `${server.url}/api/v1/webhooks/whatsapp`, appSecret: process.env.WHATSAPP_APP_SECRET!, body, timeoutMs: 10_000 });
    expect(res.status).toBe(200);

    const deadline = Date.now() + 90_000;
    const bodySha256 = createHash("sha256").update(body).digest("hex");
    let event = await prisma.webhookEvent.findUniqueOrThrow({ where: { bodySha256 } });
    while (event.state !== "PROCESSED" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      event = await prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } });
    }
    expect(event).toMatchObject({ state: "PROCESSED", attempts: 1, progress: size, counts: { messages: size } });
    expect(await prisma.message.count({ where: { connectionId: number.connectionId } })).toBe(size);
    // Each slice ran out of its 1 s budget and called the drain endpoint for the next one.
    expect(server.output().match(/drain handed on/g)?.length ?? 0).toBeGreaterThan(0);
  });
});
