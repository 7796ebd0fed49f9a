import { describe, expect, it } from "vitest";

// Graph does not answer in time: a transient failure, retried with backoff. Graph may have accepted the
// message anyway — the at-least-once edge of docs/outbound.md, which the simulator makes visible.
process.env.GRAPH_API_TIMEOUT_MS = "300";

describe("a send that times out", () => {
  it("is retried (TRANSIENT, an attempt used) and sent once Graph answers in time", async () => {
    const { POST: send } = await import("@/app/api/v1/messages/route");
    const { discardAfterCallbacks } = await import("@/tests/helpers/after-queue");
    const { apiRequest, drainNow, dueNow, numberWithCustomer, outboundRow, sentBy, textTo } = await import("@/tests/helpers/outbound");
    const { routeContext } = await import("@/tests/helpers/owner-session");
    const { graphSimulator } = await import("@/tests/helpers/webhook-harness");

    const { prisma } = await import("@/lib/db/client");
    const sender = await numberWithCustomer();
    // The retry follows within seconds: lift the pair rate so it is not paced.
    await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { pairIntervalMs: 0 } });
    graphSimulator().control.setLatency(1_000);
    const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender), apiKey: sender.apiKey }), routeContext({}));
    const { id } = ((await res.json()) as { data: { id: string } }).data;
    discardAfterCallbacks();
    await drainNow();
    const row = await outboundRow(id);
    expect(row).toMatchObject({ state: "QUEUED", errorKind: "TRANSIENT", attempts: 1, wamid: null });
    expect(row.lastError).toMatch(/did not answer within 300 ms/);

    graphSimulator().control.setLatency(0);
    await dueNow(id);
    await drainNow();
    expect(await outboundRow(id)).toMatchObject({ state: "SENT", attempts: 2 });
    // The simulator accepted the timed-out request too: the customer would get it twice (documented edge).
    await new Promise((r) => setTimeout(r, 1_100));
    expect(sentBy(sender)).toHaveLength(2);
  });
});
