import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as listActivity } from "@/app/api/v1/activity/route";
import { prisma } from "@/lib/db/client";
import { textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { ownerRequest, routeContext, type TestOwner } from "@/tests/helpers/owner-session";
import { ownerOf } from "@/tests/helpers/workspace-owner";
import { connectTestNumber, deliveryFor, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";

type Feed = { data: Array<{ id: string; type: string; summary: string; conversationId: string | null; createdAt: string }>; nextCursor: string | null; latestCursor: string | null; hasNewer: boolean };

let number: TestNumber;
let owner: TestOwner;
beforeEach(async () => {
  graphSimulator().control.reset();
  number = await connectTestNumber({ autoReplyEnabled: false });
  owner = await ownerOf(number.workspaceId);
});
afterEach(async () => {
  await runAfterCallbacks();
});

async function feed(query = ""): Promise<Feed> {
  const res = await listActivity(ownerRequest(owner, "GET", `/api/v1/activity${query}`), routeContext({}));
  expect(res.status).toBe(200);
  return res.json();
}

async function addEvents(count: number, at: (i: number) => Date) {
  await prisma.activityEvent.createMany({ data: Array.from({ length: count }, (_, i) => ({ workspaceId: number.workspaceId, type: "test.event", summary: `event ${i}`, createdAt: at(i) })) });
}

describe("activity API", () => {
  it("lists the feed newest first, with the conversation a message event belongs to", async () => {
    expect(await feed()).toMatchObject({ data: [], nextCursor: null, latestCursor: expect.any(String) });
    await postWebhook(deliveryFor(number, { messages: [textMessage({ from: "15550001111", body: "first" })] }));
    await runAfterCallbacks();
    await postWebhook(deliveryFor(number, { messages: [textMessage({ from: "15550002222", body: "second" })] }));
    await runAfterCallbacks();
    const { data } = await feed();
    expect(data).toHaveLength(2);
    expect(data.every((e) => e.type === "message.received" && e.conversationId)).toBe(true);
    expect(data[0]!.summary).toContain("from");
    expect(Date.parse(data[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(data[1]!.createdAt));
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { id: data[0]!.conversationId! } });
    expect(conversation.workspaceId).toBe(number.workspaceId);
  });

  it("`after` returns only what is new since the cursor, so polling sees each new event", async () => {
    const base = Date.now() - 60_000;
    await addEvents(3, (i) => new Date(base + i * 1000));
    const first = await feed();
    expect(first.data.map((e) => e.summary)).toEqual(["event 2", "event 1", "event 0"]);

    // nothing new: nothing but the last few seconds' events again (deduplicated by id on the client)
    const idle = await feed(`?after=${first.latestCursor}`);
    expect(idle.data.map((e) => e.summary)).toEqual(["event 1", "event 0"]);
    expect(idle.latestCursor).toBe(first.latestCursor);

    await postWebhook(deliveryFor(number, { messages: [textMessage({ from: "15550003333" })] }));
    await runAfterCallbacks();
    const next = await feed(`?after=${first.latestCursor}`);
    expect(next.data[0]).toMatchObject({ type: "message.received" });
    expect(next.data.filter((e) => !first.data.some((f) => f.id === e.id))).toHaveLength(1);
    expect(next.hasNewer).toBe(false);
    const after = await feed(`?after=${next.latestCursor}`);
    expect(after.data.every((e) => next.data.some((n) => n.id === e.id))).toBe(true);
    expect(after.latestCursor).toBe(next.latestCursor);
  });

  it("an event stamped before the cursor but committed after it is still seen", async () => {
    const now = Date.now();
    await addEvents(1, () => new Date(now - 1000));
    const first = await feed();
    // committed now, stamped 2 s before the newest event the client already has
    await addEvents(1, () => new Date(now - 3000));
    const next = await feed(`?after=${first.latestCursor}`);
    expect(next.data.map((e) => e.createdAt)).toContain(new Date(now - 3000).toISOString());
  });

  it("catches up page by page when more arrived than one page holds, and pages back with cursor", async () => {
    const base = Date.now() - 10 * 60_000;
    await addEvents(1, () => new Date(base));
    const first = await feed();
    await addEvents(25, (i) => new Date(base + (i + 1) * 10_000));
    const seen = new Set(first.data.map((e) => e.id));
    let cursor = first.latestCursor;
    for (let call = 0; call < 5; call++) {
      const page = await feed(`?limit=10&after=${cursor}`);
      page.data.forEach((e) => seen.add(e.id));
      cursor = page.latestCursor;
      if (!page.hasNewer) break;
    }
    expect(seen.size).toBe(26);

    const newest = await feed("?limit=20");
    const older = await feed(`?limit=20&cursor=${newest.nextCursor}`);
    expect(newest.data.length + older.data.length).toBe(26);
    expect(older.nextCursor).toBeNull();
  });
});
