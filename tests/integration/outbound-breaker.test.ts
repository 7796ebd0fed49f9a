import { describe, expect, it } from "vitest";

// A number whose sends keep failing (a Meta outage for it): its circuit opens, its other sends wait
// without calling Graph or using attempts, another number's sends go on, and after the cool-down one
// probe is let through — its success closes the circuit and the rest follow.
process.env.OUTBOUND_BREAKER_FAILURES = "2";
process.env.OUTBOUND_BREAKER_COOLDOWN_SECONDS = "1";

describe("the circuit breaker per number", () => {
  it("opens after repeated transient failures, holds the number's sends, spares another number's, and closes after a good probe", async () => {
    const { POST: send } = await import("@/app/api/v1/messages/route");
    const { prisma } = await import("@/lib/db/client");
    const { getBreakerState } = await import("@/lib/outbound/circuit-breaker");
    const { discardAfterCallbacks } = await import("@/tests/helpers/after-queue");
    const { apiRequest, drainNow, numberWithCustomer, outboundRow, sentBy, textTo } = await import("@/tests/helpers/outbound");
    const { routeContext } = await import("@/tests/helpers/owner-session");
    const { graphSimulator } = await import("@/tests/helpers/webhook-harness");

    const broken = await numberWithCustomer();
    const healthy = await numberWithCustomer();
    for (const n of [broken, healthy]) await prisma.whatsAppConnection.update({ where: { id: n.connectionId }, data: { pairIntervalMs: 0 } });
    const queue = async (n: typeof broken, body: string) => {
      const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(n, body), apiKey: n.apiKey }), routeContext({}));
      return ((await res.json()) as { data: { id: string } }).data.id;
    };
    graphSimulator().control.script({ phoneNumberId: broken.phoneNumberId, error: { code: 2 }, times: 2 });
    const failing = [await queue(broken, "a"), await queue(broken, "b")];
    discardAfterCallbacks();
    await drainNow();
    expect((await getBreakerState(broken.connectionId)).state).toBe("open");
    for (const id of failing) expect(await outboundRow(id)).toMatchObject({ state: "QUEUED", errorKind: "TRANSIENT", attempts: 1 });

    const held = await queue(broken, "c");
    const other = await queue(healthy, "d");
    discardAfterCallbacks();
    const graphCalls = () => graphSimulator().control.requests().filter((r) => r.phoneNumberId === broken.phoneNumberId && r.path.endsWith("/messages")).length;
    const callsBefore = graphCalls();
    await drainNow();
    expect(await outboundRow(held)).toMatchObject({ state: "QUEUED", errorKind: "BREAKER_OPEN", attempts: 0 });
    expect(graphCalls()).toBe(callsBefore);
    expect(await outboundRow(other)).toMatchObject({ state: "SENT" });

    // After the cool-down: half-open, one probe; it succeeds and the circuit closes for the rest.
    await new Promise((r) => setTimeout(r, 1_100));
    await prisma.outboundMessage.updateMany({ where: { id: { in: [...failing, held] } }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    for (let i = 0; i < 3 && sentBy(broken).length < 3; i++) {
      await drainNow();
      await prisma.outboundMessage.updateMany({ where: { id: { in: [...failing, held] }, state: "QUEUED" }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    }
    expect((await getBreakerState(broken.connectionId)).state).toBe("closed");
    expect(sentBy(broken).map((m) => m.text).sort()).toEqual(["a", "b", "c"]);
  });
});
