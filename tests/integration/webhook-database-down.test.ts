import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "@/tests/helpers/tcp-proxy";

// Needs a real PostgreSQL server (TEST_DATABASE_URL): the app talks to it through a proxy that the
// test cuts. Every 200 must be a stored delivery; while the database is gone the answer is 5xx.
const realUrl = process.env.DATABASE_URL;
const onServer = Boolean(process.env.TEST_DATABASE_URL && realUrl);

let proxy: TcpProxy | null = null;
if (onServer) {
  const url = new URL(realUrl!);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  process.env.DATABASE_URL = url.toString();
}
afterAll(async () => proxy?.close());

describe.skipIf(!onServer)("database down", () => {
  async function storedBodies(): Promise<Set<string>> {
    const direct = new pg.Client({ connectionString: realUrl });
    await direct.connect();
    try {
      const { rows } = await direct.query<{ body: Buffer }>(`SELECT "rawBody" AS body FROM "WebhookEvent"`);
      return new Set(rows.map((r) => r.body.toString("utf8")));
    } finally {
      await direct.end();
    }
  }

  it("answers 503 while the database is unreachable, and recovers when it returns", async () => {
    const { connectTestNumber, deliveryFor, postWebhook } = await import("@/tests/helpers/webhook-harness");
    const { textMessage } = await import("@/sim/webhook-payloads");
    const number = await connectTestNumber();

    await proxy!.cut();
    const raw = deliveryFor(number, { messages: [textMessage()] });
    const down = await postWebhook(raw);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ success: false, error: { code: "unavailable", message: expect.any(String) } });
    expect(down.headers.get("retry-after")).toBeTruthy();
    expect((await storedBodies()).has(raw)).toBe(false);

    await proxy!.restore();
    expect((await postWebhook(raw)).status).toBe(200);
    expect((await storedBodies()).has(raw)).toBe(true);
  });

  it("never acknowledges a delivery it did not store, while the database comes and goes", async () => {
    const { connectTestNumber, deliveryFor, postWebhook } = await import("@/tests/helpers/webhook-harness");
    const { textMessage } = await import("@/sim/webhook-payloads");
    const number = await connectTestNumber();
    const acknowledged: string[] = [];
    const refused: number[] = [];

    // The database flaps while deliveries keep coming, until both outcomes have been seen a few times
    // (bounded): timing-independent, so a slow machine only makes it take longer.
    const enough = () => acknowledged.length >= 5 && refused.length >= 5;
    const deadline = Date.now() + 30_000;
    const flapping = (async () => {
      while (!enough() && Date.now() < deadline) {
        await proxy!.cut();
        await new Promise((r) => setTimeout(r, 60));
        await proxy!.restore();
        await new Promise((r) => setTimeout(r, 120));
      }
      await proxy!.restore();
    })();
    let i = 0;
    const sender = async () => {
      while (!enough() && Date.now() < deadline) {
        const raw = deliveryFor(number, { messages: [textMessage({ body: `flap ${i++}` })] });
        const res = await postWebhook(raw);
        if (res.status === 200) acknowledged.push(raw);
        else refused.push(res.status);
      }
    };
    await Promise.all([flapping, ...Array.from({ length: 4 }, sender)]);

    const stored = await storedBodies();
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const status of refused) expect(status).toBeGreaterThanOrEqual(500);
    for (const raw of acknowledged) expect(stored.has(raw)).toBe(true);
  });
});
