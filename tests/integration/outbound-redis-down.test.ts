import { describe, expect, it } from "vitest";
import { startTcpProxy } from "@/tests/helpers/tcp-proxy";

// The limiter's store (Redis) down: fail closed — nothing is sent, the sends stay queued saying why,
// and they go out once it is back. Redis sits behind a proxy the test cuts and restores.
const redisUrl = process.env.TEST_REDIS_URL;
const target = redisUrl ? new URL(redisUrl) : null;
const proxy = target ? await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) }) : null;
if (proxy && target) process.env.REDIS_URL = `redis://127.0.0.1:${proxy.port}${target.pathname}`;

describe.skipIf(!proxy)("Redis down while sending", () => {
  it("sends nothing, keeps the rows queued with a clear lastError, and sends them once Redis is back", async () => {
    const { POST: send } = await import("@/app/api/v1/messages/route");
    const { prisma } = await import("@/lib/db/client");
    const { runAfterCallbacks } = await import("@/tests/helpers/after-queue");
    const { apiRequest, drainNow, numberWithCustomer, sentBy, textTo } = await import("@/tests/helpers/outbound");
    const { routeContext } = await import("@/tests/helpers/owner-session");

    const sender = await numberWithCustomer();
    // Both sends go to one customer: the pair rate (one per 6.3 s) is not what this test is about.
    await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { pairIntervalMs: 0 } });
    await proxy!.cut();
    const ids: string[] = [];
    for (const body of ["first", "second"]) {
      const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender, body), apiKey: sender.apiKey }), routeContext({}));
      // Queuing needs only the database: the caller still gets its 202.
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { data: { id: string } }).data.id);
    }
    await runAfterCallbacks();
    expect(sentBy(sender)).toHaveLength(0);
    for (const row of await prisma.outboundMessage.findMany({ where: { id: { in: ids } } })) {
      expect(row).toMatchObject({ state: "QUEUED", errorKind: "LIMITER_DOWN", attempts: 0, wamid: null });
      expect(row.lastError).toMatch(/Redis.*unreachable.*nothing was sent/i);
    }

    await proxy!.restore();
    await prisma.outboundMessage.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    // The client reconnects with its own backoff: drain until they are out (bounded).
    for (let i = 0; i < 20 && sentBy(sender).length < 2; i++) {
      await drainNow(1_000);
      await new Promise((r) => setTimeout(r, 250));
      await prisma.outboundMessage.updateMany({ where: { id: { in: ids }, state: "QUEUED" }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    }
    expect(sentBy(sender).map((m) => m.text).sort()).toEqual(["first", "second"]);
    expect(await prisma.outboundMessage.count({ where: { id: { in: ids }, state: "SENT" } })).toBe(2);
    await proxy!.close();
  });
});
