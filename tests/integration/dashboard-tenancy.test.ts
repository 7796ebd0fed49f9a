import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as listActivity } from "@/app/api/v1/activity/route";
import { GET as getConversation } from "@/app/api/v1/conversations/[id]/route";
import { GET as getMessages } from "@/app/api/v1/conversations/[id]/messages/route";
import { GET as listConversations } from "@/app/api/v1/conversations/route";
import { GET as listEmails } from "@/app/api/v1/emails/route";
import { GET as listHealthChecks } from "@/app/api/v1/health-checks/route";
import { POST as replayOne } from "@/app/api/v1/webhook-events/[id]/replay/route";
import { POST as replayAll } from "@/app/api/v1/webhook-events/replay/route";
import { GET as listWebhookEvents } from "@/app/api/v1/webhook-events/route";
import { prisma } from "@/lib/db/client";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { createTestOwner, ownerRequest, routeContext, type TestOwner } from "@/tests/helpers/owner-session";
import { connectTestNumber, deliveryFor, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

// The first workspace has one of everything the dashboard's routes show; the second workspace's
// owner asks for each of them by id and in every list.

let first: TestNumber;
let firstOwner: TestOwner;
let intruder: TestOwner;
let conversationId: string;
let deadEventId: string;

beforeAll(async () => {
  first = await connectTestNumber({ autoReplyEnabled: false });
  firstOwner = await ownerOf(first.workspaceId);
  intruder = await createTestOwner("intruder");
  await postWebhook(deliveryFor(first, { messages: [textMessage({ from: "15550009999", body: "private" })] }));
  await runAfterCallbacks();
  conversationId = (await prisma.conversation.findFirstOrThrow({ where: { workspaceId: first.workspaceId } })).id;
  const stored = await storeWebhookEvent(Buffer.from(deliveryFor(first, { messages: [textMessage({ body: "dead one" })] })));
  deadEventId = (await prisma.webhookEvent.update({ where: { id: stored.id }, data: { state: "DEAD", workspaceId: first.workspaceId, errorKind: "PROCESSING", lastError: "boom", attempts: 8, deadAt: new Date(), nextAttemptAt: null } })).id;
  await prisma.emailMessage.create({ data: { workspaceId: first.workspaceId, to: "a@example.com", subject: "private alert", html: "", text: "", status: "OUTBOX" } });
  await prisma.healthCheck.create({ data: { workspaceId: first.workspaceId, connectionId: first.connectionId, kind: "token", result: "HEALTHY" } });
});
afterEach(async () => {
  await runAfterCallbacks();
});

const get = (as: TestOwner, path: string) => ownerRequest(as, "GET", path);

describe("a second workspace's owner", () => {
  it("sees the first workspace's data in none of the lists", async () => {
    const lists = [
      () => listConversations(get(intruder, "/api/v1/conversations"), routeContext({})),
      () => listConversations(get(intruder, "/api/v1/conversations?q=private"), routeContext({})),
      () => listActivity(get(intruder, "/api/v1/activity"), routeContext({})),
      () => listWebhookEvents(get(intruder, "/api/v1/webhook-events"), routeContext({})),
      () => listEmails(get(intruder, "/api/v1/emails"), routeContext({})),
      () => listHealthChecks(get(intruder, "/api/v1/health-checks"), routeContext({})),
      () => listHealthChecks(get(intruder, `/api/v1/health-checks?connectionId=${first.connectionId}`), routeContext({})),
    ];
    for (const call of lists) {
      const res = await call();
      expect(res.status).toBe(200);
      expect((await res.json()).data).toEqual([]);
    }
    // …which the first workspace's owner does see
    for (const [call, path] of [
      [listConversations, "/api/v1/conversations?q=private"],
      [listActivity, "/api/v1/activity"],
      [listWebhookEvents, "/api/v1/webhook-events"],
      [listEmails, "/api/v1/emails"],
      [listHealthChecks, "/api/v1/health-checks"],
    ] as const) {
      expect((await (await call(get(firstOwner, path), routeContext({}))).json()).data).toHaveLength(1);
    }
  });

  it("gets 404 for each of the first workspace's objects by id", async () => {
    const id = conversationId;
    for (const res of [
      await getConversation(get(intruder, `/api/v1/conversations/${id}`), routeContext({ id })),
      await getMessages(get(intruder, `/api/v1/conversations/${id}/messages`), routeContext({ id })),
      await replayOne(ownerRequest(intruder, "POST", `/api/v1/webhook-events/${deadEventId}/replay`), routeContext({ id: deadEventId })),
    ]) {
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
    expect((await getConversation(get(firstOwner, `/api/v1/conversations/${id}`), routeContext({ id }))).status).toBe(200);
  });

  it("replaying all replays none of the first workspace's events", async () => {
    const res = await replayAll(ownerRequest(intruder, "POST", "/api/v1/webhook-events/replay"), routeContext({}));
    expect((await res.json()).data).toMatchObject({ replayed: 0, remaining: 0 });
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: deadEventId } })).state).toBe("DEAD");
  });
});
