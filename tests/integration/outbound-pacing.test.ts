import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as send } from "@/app/api/v1/messages/route";
import { prisma } from "@/lib/db/client";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { apiRequest, numberWithCustomer, sentBy, textTo, type Sender } from "@/tests/helpers/outbound";
import { routeContext } from "@/tests/helpers/owner-session";
import { graphSimulator } from "@/tests/helpers/webhook-harness";

// Pacing through the real drain and the shared limiter: never faster than the number's rate, never two
// sends to one recipient closer than its pair interval — waited for, not refused.

let sender: Sender;
beforeEach(async () => {
  graphSimulator().control.reset();
  sender = await numberWithCustomer();
});
afterEach(async () => {
  await runAfterCallbacks();
});

async function queueTexts(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await send(apiRequest("POST", "/api/v1/messages", { body: textTo(sender, `paced ${i}`), apiKey: sender.apiKey }), routeContext({}));
    expect(res.status).toBe(202);
  }
}

describe("pacing", () => {
  it("sends no faster than the number's rate (5/s here): 15 sends take their 2.8 s, about 5 in each second", async () => {
    await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { sendRatePerSecond: 5, pairIntervalMs: 0 } });
    await queueTexts(15);
    await runAfterCallbacks();
    const times = sentBy(sender).map((m) => m.time).sort((a, b) => a - b);
    expect(times).toHaveLength(15);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2_700);
    // One of tolerance for when requests reach the simulator (a send is never started before its slot).
    expect(Math.max(...graphSimulator().control.sendsPerSecond(sender.phoneNumberId).map((s) => s.count))).toBeLessThanOrEqual(6);
    expect(await prisma.outboundMessage.count({ where: { workspaceId: sender.workspaceId, state: "SENT" } })).toBe(15);
  });

  it("keeps a recipient's pair interval (1 s here) between two sends to them", async () => {
    await prisma.whatsAppConnection.update({ where: { id: sender.connectionId }, data: { pairIntervalMs: 1_000 } });
    await queueTexts(3);
    await runAfterCallbacks();
    const times = sentBy(sender).map((m) => m.time).sort((a, b) => a - b);
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
  });
});
