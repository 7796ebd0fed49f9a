import { readdirSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/lib/api-keys/api-key-secret";
import { hashPassword } from "@/lib/auth/hash-password";
import { prisma } from "@/lib/db/client";
import { errorEnvelopeSchema } from "@/lib/http/envelope";
import { runWithPeerAddress } from "@/lib/http/peer-address";
import { logger } from "@/lib/log/logger";
import { syncTemplates } from "@/lib/templates/sync-templates";
import { storeWebhookEvent } from "@/lib/webhooks/store-webhook-event";
import { textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { createTestOwner, ownerRequest, routeContext, type OwnerRequestOptions, type TestOwner } from "@/tests/helpers/owner-session";
import { connectTestNumber, deliveryFor, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

// Every API route, walked as a second workspace's owner: the first workspace has one of everything,
// and the intruder gets 404 for each object by id, empty lists, and 403/401 where the route is for
// platform admins, crons or Meta only. Complete by construction: the route files are discovered on
// disk, and a route or method without a case here fails the test.

const API_ROOT = path.resolve("app/api/v1");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof HTTP_METHODS)[number];
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Who a route is for, as the intruder experiences it. */
type Access =
  | "workspace" // an owner's session; another workspace's objects are not found
  | "admin-only" // a platform admin (session or system:manage token): an owner gets 403
  | "cron-only" // CRON_SECRET: a session is not enough, 401
  | "meta-only" // Meta's signature or verify token: a session is not enough
  | "public"; // signed-out auth routes: they only ever act for the credentials given

type Case = { access: Access; expect: string; run: (handler: Handler) => Promise<void> };

let first: TestNumber;
let firstOwner: TestOwner;
const FIRST_OWNER_PASSWORD = "the first owner's password";
let intruder: TestOwner;
let conversationId: string;
let deadEventId: string;
let outboundId: string;
let apiKeyId: string;
const JOB = "whatsapp-health-check";
// Sign-in and sign-up need the client's address (next start records it per request; here, given).
const INTRUDER_ADDRESS = "203.0.113.66";

beforeAll(async () => {
  first = await connectTestNumber({ autoReplyEnabled: false });
  firstOwner = await ownerOf(first.workspaceId);
  await prisma.user.update({ where: { id: firstOwner.userId }, data: { passwordHash: await hashPassword(FIRST_OWNER_PASSWORD) } });
  intruder = await createTestOwner("intruder");
  await postWebhook(deliveryFor(first, { messages: [textMessage({ from: "15550009999", body: "private order details" })] }));
  await runAfterCallbacks();
  conversationId = (await prisma.conversation.findFirstOrThrow({ where: { workspaceId: first.workspaceId } })).id;
  const stored = await storeWebhookEvent(Buffer.from(deliveryFor(first, { messages: [textMessage({ body: "dead one" })] })));
  deadEventId = (
    await prisma.webhookEvent.update({
      where: { id: stored.id },
      data: { state: "DEAD", workspaceId: first.workspaceId, phoneNumberId: first.phoneNumberId, errorKind: "PROCESSING", lastError: "boom", attempts: 8, deadAt: new Date(), nextAttemptAt: null },
    })
  ).id;
  await prisma.emailMessage.create({ data: { workspaceId: first.workspaceId, to: "owner@example.com", subject: "private alert", html: "", text: "", status: "OUTBOX" } });
  await prisma.healthCheck.create({ data: { workspaceId: first.workspaceId, connectionId: first.connectionId, kind: "token", result: "HEALTHY" } });
  const conversation = await prisma.conversation.findFirstOrThrow({ where: { workspaceId: first.workspaceId } });
  outboundId = (
    await prisma.outboundMessage.create({
      data: { workspaceId: first.workspaceId, connectionId: first.connectionId, conversationId: conversation.id, contactId: conversation.contactId, to: "15550009999", type: "text", body: { body: "private reply" }, state: "DEAD", attempts: 10, nextAttemptAt: null, deadAt: new Date(), lastError: "boom" },
    })
  ).id;
  await syncTemplates(first.workspaceId, logger);
  const { prefix, keyHash } = generateApiKey();
  apiKeyId = (await prisma.apiKey.create({ data: { workspaceId: first.workspaceId, name: "first's key", prefix, keyHash } })).id;
});
afterEach(async () => {
  await runAfterCallbacks();
});

// ───────────────────────────────────────────────────────────────────────────────────── expectations

const as = (who: TestOwner | null, method: string, url: string, options?: OwnerRequestOptions) => ownerRequest(who, method, url, options);
const liveSessions = (userId: string) => prisma.session.count({ where: { userId, revokedAt: null } });
const params = (p: Record<string, string> = {}) => routeContext(p);

async function expectStatus(res: Response, status: number, code?: string): Promise<unknown> {
  const body: unknown = await res.json().catch(() => null);
  expect(res.status, JSON.stringify(body)).toBe(status);
  // The one envelope (lib/http/envelope.ts; every route's payload: tests/e2e/envelope-walk.test.ts).
  if (status >= 400) expect(errorEnvelopeSchema.safeParse(body).error?.issues ?? [], JSON.stringify(body)).toEqual([]);
  else expect(body).toMatchObject({ success: true, data: expect.anything() });
  if (code) expect(body).toMatchObject({ error: { code } });
  return body;
}

/** The intruder gets 404; the first workspace's owner (for reads) gets the object. */
function notFound(method: Method, url: () => string, p: () => Record<string, string>, body?: unknown): Case {
  return {
    access: "workspace",
    expect: "404 for the first workspace's object",
    run: async (handler) => {
      await expectStatus(await handler(as(intruder, method, url(), { body }), params(p())), 404, "not_found");
      if (method === "GET") expect((await handler(as(firstOwner, method, url()), params(p()))).status).toBe(200);
    },
  };
}

/** The intruder's list is empty; the first workspace's owner sees its rows in the same list. */
function emptyList(...urls: Array<() => string>): Case {
  return {
    access: "workspace",
    expect: "an empty list (the first workspace's owner sees its rows)",
    run: async (handler) => {
      for (const url of urls) {
        const body = (await expectStatus(await handler(as(intruder, "GET", url()), params()), 200)) as { data: unknown[] };
        expect(body.data, url()).toEqual([]);
        const own = (await (await handler(as(firstOwner, "GET", url()), params())).json()) as { data: unknown[] };
        expect(own.data.length, `${url()} as the first owner`).toBeGreaterThan(0);
      }
    },
  };
}

function adminOnly(method: Method, url: string, p: Record<string, string> = {}): Case {
  return {
    access: "admin-only",
    expect: "403: an owner's session lacks system:manage",
    run: async (handler) => void (await expectStatus(await handler(as(intruder, method, url), params(p)), 403, "forbidden")),
  };
}

function cronOnly(method: Method, url: string, p: Record<string, string> = {}): Case {
  return {
    access: "cron-only",
    expect: "401: a session is not the cron secret",
    run: async (handler) => {
      await expectStatus(await handler(as(intruder, method, url), params(p)), 401, "unauthorized");
    },
  };
}

// ─────────────────────────────────────────────────────────────────────── every route, every method

const ROUTES: Record<string, Partial<Record<Method, Case>>> = {
  activity: { GET: emptyList(() => "/api/v1/activity") },
  "api-keys": {
    GET: emptyList(() => "/api/v1/api-keys"),
    POST: {
      access: "workspace",
      expect: "201: the key belongs to the caller's workspace, never the first one",
      run: async (handler) => {
        const before = await prisma.apiKey.count({ where: { workspaceId: first.workspaceId } });
        const body = (await expectStatus(await handler(as(intruder, "POST", "/api/v1/api-keys", { body: { name: "intruder's" } }), params()), 201)) as { data: { id: string } };
        expect(await prisma.apiKey.findUniqueOrThrow({ where: { id: body.data.id } })).toMatchObject({ workspaceId: intruder.workspaceId });
        expect(await prisma.apiKey.count({ where: { workspaceId: first.workspaceId } })).toBe(before);
      },
    },
  },
  "api-keys/[id]": {
    DELETE: {
      ...notFound("DELETE", () => `/api/v1/api-keys/${apiKeyId}`, () => ({ id: apiKeyId })),
      run: async (handler) => {
        await notFound("DELETE", () => `/api/v1/api-keys/${apiKeyId}`, () => ({ id: apiKeyId })).run(handler);
        expect(await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).toMatchObject({ revokedAt: null });
      },
    },
  },
  "auth/me": {
    GET: {
      access: "workspace",
      expect: "the caller's own session and workspace only",
      run: async (handler) => {
        const body = (await expectStatus(await handler(as(intruder, "GET", "/api/v1/auth/me"), params()), 200)) as { data: { workspaceId: string; userId: string } };
        expect(body.data).toMatchObject({ workspaceId: intruder.workspaceId, userId: intruder.userId });
      },
    },
  },
  "auth/sign-in": {
    POST: {
      access: "public",
      expect: "401 for the first owner's email without its password; no session is issued",
      run: async (handler) => {
        const body = { email: (await prisma.user.findUniqueOrThrow({ where: { id: firstOwner.userId } })).email, password: "not the password" };
        const res = await runWithPeerAddress(INTRUDER_ADDRESS, () => handler(as(intruder, "POST", "/api/v1/auth/sign-in", { body }), params()));
        await expectStatus(res, 401, "unauthorized");
        expect(res.headers.get("set-cookie")).toBeNull();
      },
    },
  },
  "auth/password": {
    POST: {
      access: "workspace",
      expect: "403 with the first owner's password: it only ever changes the caller's own, checked against the caller's",
      run: async (handler) => {
        const before = await prisma.user.findUniqueOrThrow({ where: { id: firstOwner.userId }, select: { passwordHash: true } });
        const res = await handler(as(intruder, "POST", "/api/v1/auth/password", { body: { currentPassword: FIRST_OWNER_PASSWORD, newPassword: "taken over at last" } }), params());
        await expectStatus(res, 403, "forbidden");
        expect(await prisma.user.findUniqueOrThrow({ where: { id: firstOwner.userId }, select: { passwordHash: true } })).toEqual(before);
        expect(await liveSessions(firstOwner.userId)).toBeGreaterThan(0);
      },
    },
  },
  "auth/sessions": {
    GET: {
      access: "workspace",
      expect: "the caller's own sessions only",
      run: async (handler) => {
        const body = (await expectStatus(await handler(as(intruder, "GET", "/api/v1/auth/sessions"), params()), 200)) as { data: Array<{ id: string }> };
        const own = await prisma.session.findMany({ where: { userId: intruder.userId }, select: { id: true } });
        expect(body.data.length).toBeGreaterThan(0);
        expect(body.data.map((s) => s.id).every((id) => own.some((o) => o.id === id))).toBe(true);
      },
    },
    DELETE: {
      access: "workspace",
      expect: "200: ends only the caller's own sessions, never the first owner's",
      run: async (handler) => {
        const leaving = await createTestOwner("leaving");
        await expectStatus(await handler(as(leaving, "DELETE", "/api/v1/auth/sessions"), params()), 200);
        expect(await liveSessions(leaving.userId)).toBe(0);
        expect(await liveSessions(firstOwner.userId)).toBeGreaterThan(0);
      },
    },
  },
  "auth/sign-out": {
    POST: {
      access: "public",
      expect: "200: ends only the caller's own session and clears its cookie",
      run: async (handler) => {
        const leaving = await createTestOwner("leaving");
        const res = await handler(as(leaving, "POST", "/api/v1/auth/sign-out"), params());
        await expectStatus(res, 200);
        expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
        expect(await liveSessions(leaving.userId)).toBe(0);
        expect(await liveSessions(firstOwner.userId)).toBeGreaterThan(0);
      },
    },
  },
  "auth/sign-up": {
    POST: {
      access: "public",
      expect: "201: a new workspace of its own, never the first one",
      run: async (handler) => {
        const signUp = { email: `new-${intruder.userId}@example.test`, password: "a long enough password", workspaceName: "Another shop" };
        const res = await runWithPeerAddress(INTRUDER_ADDRESS, () => handler(as(intruder, "POST", "/api/v1/auth/sign-up", { body: signUp }), params()));
        const body = (await expectStatus(res, 201)) as { data: { workspaceId: string } };
        expect(body.data.workspaceId).not.toBe(first.workspaceId);
        expect(await prisma.membership.count({ where: { workspaceId: first.workspaceId } })).toBe(1);
      },
    },
  },
  connections: {
    GET: emptyList(() => "/api/v1/connections"),
    POST: {
      access: "workspace",
      expect: "409: the first workspace's number cannot be connected (taken over) from another workspace",
      run: async (handler) => {
        const body = { wabaId: first.wabaId, phoneNumberId: first.phoneNumberId, accessToken: `EAAT${"x".repeat(30)}` };
        const res = await handler(as(intruder, "POST", "/api/v1/connections", { body }), params());
        const error = (await expectStatus(res, 409, "conflict")) as { error: { message: string } };
        expect(error.error.message).toMatch(/another WhaTrack workspace/);
        expect(await prisma.whatsAppConnection.count({ where: { workspaceId: intruder.workspaceId } })).toBe(0);
      },
    },
  },
  "connections/[id]": {
    GET: notFound("GET", () => `/api/v1/connections/${first.connectionId}`, () => ({ id: first.connectionId })),
    PATCH: notFound("PATCH", () => `/api/v1/connections/${first.connectionId}`, () => ({ id: first.connectionId }), { name: "mine now", autoReplyText: "hijacked" }),
    DELETE: notFound("DELETE", () => `/api/v1/connections/${first.connectionId}`, () => ({ id: first.connectionId })),
  },
  "connections/[id]/check": { POST: notFound("POST", () => `/api/v1/connections/${first.connectionId}/check`, () => ({ id: first.connectionId })) },
  "connections/[id]/health": { GET: notFound("GET", () => `/api/v1/connections/${first.connectionId}/health?days=30`, () => ({ id: first.connectionId })) },
  conversations: { GET: emptyList(() => "/api/v1/conversations", () => "/api/v1/conversations?q=private", () => "/api/v1/conversations?q=15550009999") },
  "conversations/[id]": { GET: notFound("GET", () => `/api/v1/conversations/${conversationId}`, () => ({ id: conversationId })) },
  "conversations/[id]/messages": { GET: notFound("GET", () => `/api/v1/conversations/${conversationId}/messages`, () => ({ id: conversationId })) },
  "cron/health-check/stats": { GET: adminOnly("GET", "/api/v1/cron/health-check/stats") },
  "cron/start/[job]": { POST: adminOnly("POST", `/api/v1/cron/start/${JOB}`, { job: JOB }) },
  "cron/status": { GET: adminOnly("GET", "/api/v1/cron/status") },
  "cron/stop/[job]": { POST: adminOnly("POST", `/api/v1/cron/stop/${JOB}`, { job: JOB }) },
  "cron/trigger/[job]": { POST: adminOnly("POST", `/api/v1/cron/trigger/${JOB}`, { job: JOB }) },
  emails: { GET: emptyList(() => "/api/v1/emails") },
  "health-checks": { GET: emptyList(() => "/api/v1/health-checks", () => `/api/v1/health-checks?connectionId=${first.connectionId}`) },
  "jobs/[job]": { GET: cronOnly("GET", `/api/v1/jobs/${JOB}`, { job: JOB }), POST: cronOnly("POST", `/api/v1/jobs/${JOB}`, { job: JOB }) },
  "jobs/[job]/status": { GET: cronOnly("GET", `/api/v1/jobs/${JOB}/status`, { job: JOB }) },
  "jobs/dispatch": { GET: cronOnly("GET", "/api/v1/jobs/dispatch"), POST: cronOnly("POST", "/api/v1/jobs/dispatch") },
  messages: {
    GET: emptyList(() => "/api/v1/messages", () => "/api/v1/messages?state=DEAD", () => `/api/v1/messages?connectionId=${first.connectionId}`),
    POST: {
      access: "workspace",
      expect: "404: the first workspace's number cannot send for another workspace",
      run: async (handler) => {
        const body = { connectionId: first.connectionId, to: "15550009999", type: "text", text: { body: "sent as them" } };
        await expectStatus(await handler(as(intruder, "POST", "/api/v1/messages", { body }), params()), 404, "not_found");
        expect(await prisma.outboundMessage.count({ where: { workspaceId: intruder.workspaceId } })).toBe(0);
      },
    },
  },
  "messages/[id]": { GET: notFound("GET", () => `/api/v1/messages/${outboundId}`, () => ({ id: outboundId })) },
  "messages/[id]/retry": { POST: notFound("POST", () => `/api/v1/messages/${outboundId}/retry`, () => ({ id: outboundId })) },
  "messages/retry": {
    POST: {
      access: "workspace",
      expect: "200 retrying none of the first workspace's sends",
      run: async (handler) => {
        const body = (await expectStatus(await handler(as(intruder, "POST", "/api/v1/messages/retry", { body: {} }), params()), 200)) as { data: unknown };
        expect(body.data).toEqual({ retried: 0 });
        expect((await prisma.outboundMessage.findUniqueOrThrow({ where: { id: outboundId } })).state).toBe("DEAD");
      },
    },
  },
  media: {
    POST: {
      access: "workspace",
      expect: "404 uploading for the first workspace's number; nothing reaches Meta",
      run: async (handler) => {
        const form = new FormData();
        form.set("connectionId", first.connectionId);
        form.set("file", new Blob([new Uint8Array(Buffer.from("%PDF-1.7 stolen"))], { type: "application/pdf" }), "a.pdf");
        const request = new Request("http://localhost:3000/api/v1/media", { method: "POST", headers: { cookie: intruder.cookie, origin: "http://localhost:3000" }, body: form });
        await expectStatus(await handler(request, params()), 404, "not_found");
        expect(graphSimulator().control.uploadedMedia().filter((m) => m.phoneNumberId === first.phoneNumberId)).toEqual([]);
      },
    },
  },
  "openapi.json": {
    GET: {
      access: "public",
      expect: "200: the API's description, with nothing of any workspace in it",
      run: async (handler) => {
        const text = await (await handler(as(intruder, "GET", "/api/v1/openapi.json"), params())).text();
        expect(JSON.parse(text)).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
        for (const id of [first.workspaceId, first.connectionId, first.phoneNumberId, conversationId, deadEventId, outboundId]) expect(text).not.toContain(id);
      },
    },
  },
  "outbox/drain": { POST: cronOnly("POST", "/api/v1/outbox/drain") },
  templates: {
    GET: {
      ...emptyList(() => "/api/v1/templates"),
      run: async (handler) => {
        await emptyList(() => "/api/v1/templates", () => "/api/v1/templates?status=APPROVED").run(handler);
        await expectStatus(await handler(as(intruder, "GET", `/api/v1/templates?connectionId=${first.connectionId}`), params()), 404, "not_found");
      },
    },
  },
  "templates/sync": {
    POST: {
      access: "workspace",
      expect: "200 syncing only the caller's own accounts (none): the first workspace's WABA is not listed, its rows unchanged",
      run: async (handler) => {
        const before = await prisma.messageTemplate.findMany({ where: { workspaceId: first.workspaceId }, orderBy: { id: "asc" } });
        const calls = () => graphSimulator().control.requests().filter((r) => r.wabaId === first.wabaId && r.endpoint.includes("message_templates")).length;
        const callsBefore = calls();
        const body = (await expectStatus(await handler(as(intruder, "POST", "/api/v1/templates/sync"), params()), 200)) as { data: unknown };
        expect(body.data).toMatchObject({ wabas: 0, templates: 0 });
        expect(calls()).toBe(callsBefore);
        expect(await prisma.messageTemplate.findMany({ where: { workspaceId: first.workspaceId }, orderBy: { id: "asc" } })).toEqual(before);
        expect(await prisma.messageTemplate.count({ where: { workspaceId: intruder.workspaceId } })).toBe(0);
      },
    },
  },
  "webhook-events": {
    GET: {
      ...emptyList(() => "/api/v1/webhook-events", () => "/api/v1/webhook-events?state=dead"),
      run: async (handler) => {
        await emptyList(() => "/api/v1/webhook-events", () => "/api/v1/webhook-events?state=dead").run(handler);
        const body = (await (await handler(as(intruder, "GET", "/api/v1/webhook-events"), params())).json()) as { counts: unknown };
        expect(body.counts).toEqual({ failed: 0, dead: 0 });
      },
    },
  },
  "webhook-events/[id]/replay": { POST: notFound("POST", () => `/api/v1/webhook-events/${deadEventId}/replay`, () => ({ id: deadEventId })) },
  "webhook-events/replay": {
    POST: {
      access: "workspace",
      expect: "200 replaying none of the first workspace's events",
      run: async (handler) => {
        const body = (await expectStatus(await handler(as(intruder, "POST", "/api/v1/webhook-events/replay", { body: {} }), params()), 200)) as { data: unknown };
        expect(body.data).toMatchObject({ replayed: 0, remaining: 0 });
        expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: deadEventId } })).state).toBe("DEAD");
      },
    },
  },
  "webhooks/drain": { POST: cronOnly("POST", "/api/v1/webhooks/drain") },
  "webhooks/whatsapp": {
    GET: {
      access: "meta-only",
      expect: "403: the subscription handshake needs Meta's verify token, not a session",
      run: async (handler) => void (await expectStatus(await handler(as(intruder, "GET", "/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"), params()), 403, "forbidden")),
    },
    POST: {
      access: "meta-only",
      expect: "401: a delivery needs Meta's signature, not a session",
      run: async (handler) => {
        const res = await handler(as(intruder, "POST", "/api/v1/webhooks/whatsapp", { body: deliveryFor(first, { messages: [textMessage({ body: "forged" })] }) }), params());
        await expectStatus(res, 401, "unauthorized");
      },
    },
  },
};

// ─────────────────────────────────────────────────────────────────────────────────────────── tests

/** Route folders under app/api/v1 that hold a route.ts, as "connections/[id]". */
function discoverRoutes(): string[] {
  return readdirSync(API_ROOT, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.dirname(file).split(path.sep).join("/"))
    .sort();
}

const loadRoute = async (route: string): Promise<Partial<Record<Method, Handler>>> => (await import(path.join(API_ROOT, route, "route.ts"))) as Partial<Record<Method, Handler>>;

describe("every API route, called as a second workspace's owner", () => {
  it("has a tenancy case for each route file and each method it exports (and none for routes that are gone)", async () => {
    const routes = discoverRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const route of routes) {
      const exported = await loadRoute(route);
      for (const method of HTTP_METHODS) {
        if (typeof exported[method] === "function" && !ROUTES[route]?.[method]) missing.push(`${method} /api/v1/${route}`);
      }
    }
    expect(missing, "routes without a tenancy case in tests/integration/tenancy-walk.test.ts").toEqual([]);
    const stale = Object.keys(ROUTES).filter((route) => !routes.includes(route));
    expect(stale, "cases for route files that no longer exist").toEqual([]);
  });

  for (const [route, methods] of Object.entries(ROUTES)) {
    for (const [method, c] of Object.entries(methods) as Array<[Method, Case]>) {
      it(`${method} /api/v1/${route} (${c.access}): ${c.expect}`, async () => {
        const handler = (await loadRoute(route))[method];
        if (!handler) throw new Error(`${route}/route.ts exports no ${method}`);
        await c.run(handler);
      });
    }
  }

  it("left the first workspace's objects as they were", async () => {
    const connection = await prisma.whatsAppConnection.findUniqueOrThrow({ where: { id: first.connectionId } });
    expect(connection).toMatchObject({ workspaceId: first.workspaceId, status: "ACTIVE", name: null, autoReplyText: null });
    expect(connection.tokenId).not.toBeNull();
    expect(await prisma.conversation.count({ where: { id: conversationId, workspaceId: first.workspaceId } })).toBe(1);
    expect(await prisma.job.count({ where: { paused: true } })).toBe(0);
    expect(await prisma.jobRun.count()).toBe(0);
  });
});
