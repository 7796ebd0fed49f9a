import { randomBytes } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { openToken } from "@/lib/crypto/token-vault";
import { createConnection } from "@/lib/connections/create-connection";
import { checkNowResultSchema, connectionSchema, disconnectResultSchema, healthTimelineSchema } from "@/lib/connections/connection-schemas";
import { GET as listRoute, POST as connectRoute } from "@/app/api/v1/connections/route";
import { DELETE as disconnectRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/v1/connections/[id]/route";
import { POST as checkRoute } from "@/app/api/v1/connections/[id]/check/route";
import { GET as healthRoute } from "@/app/api/v1/connections/[id]/health/route";
import { findRoutingConnection } from "@/lib/webhooks/find-routing-connection";
import { resolveEventWorkspace } from "@/lib/webhooks/resolve-event-workspace";
import { graphSimulator } from "@/tests/helpers/webhook-harness";
import { createTestOwner, ownerRequest, routeContext, type OwnerRequestOptions, type TestOwner } from "@/tests/helpers/owner-session";

// The connections API, called as Next calls it (real Requests with a session cookie), against a real
// database and the Graph simulator.

const sim = () => graphSimulator().control;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Every token used in this file and every response body seen: none may ever contain one of them.
const tokens: string[] = [];
const bodies: string[] = [];

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join("").replace(/^0/, "1");
function newNumber() {
  const accessToken = `EAAT${randomBytes(20).toString("hex")}`;
  tokens.push(accessToken);
  return { wabaId: digits(15), phoneNumberId: digits(15), accessToken };
}

type Call = { status: number; body: { data?: unknown; error?: { code: string; message: string } } };
type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P>(handler: Handler<P>, params: P, owner: TestOwner | null, method: string, path: string, options: OwnerRequestOptions = {}): Promise<Call> {
  const res = await handler(ownerRequest(owner, method, path, options), routeContext(params));
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const connect = (owner: TestOwner, body: unknown, options: OwnerRequestOptions = {}) => call(connectRoute, {}, owner, "POST", "/api/v1/connections", { body, ...options });
const list = (owner: TestOwner | null) => call(listRoute, {}, owner, "GET", "/api/v1/connections");
const getOne = (owner: TestOwner, id: string) => call(getRoute, { id }, owner, "GET", `/api/v1/connections/${id}`);
const patch = (owner: TestOwner, id: string, body: unknown, options: OwnerRequestOptions = {}) => call(patchRoute, { id }, owner, "PATCH", `/api/v1/connections/${id}`, { body, ...options });
const disconnect = (owner: TestOwner, id: string, options: OwnerRequestOptions = {}) => call(disconnectRoute, { id }, owner, "DELETE", `/api/v1/connections/${id}`, options);
const checkNow = (owner: TestOwner, id: string, options: OwnerRequestOptions = {}) => call(checkRoute, { id }, owner, "POST", `/api/v1/connections/${id}/check`, options);
const health = (owner: TestOwner, id: string, query = "") => call(healthRoute, { id }, owner, "GET", `/api/v1/connections/${id}/health${query}`);

const graphCalls = (endpoint: string) => sim().requests().filter((r) => r.endpoint === endpoint);
const rowOf = (id: string) => prisma.whatsAppConnection.findUniqueOrThrow({ where: { id }, include: { token: true } });
/** As if the number was disconnected long enough ago for every instance's routing cache to have let go. */
const agePastRouting = (id: string) => prisma.$executeRaw`UPDATE "WhatsAppConnection" SET "updatedAt" = now() - interval '1 hour' WHERE id = ${id}`;
/** Lets "check now" run again at once (it refuses a number checked seconds ago). */
const ageLastChecks = (id: string) =>
  prisma.whatsAppConnection.update({ where: { id }, data: { lastHealthCheckAt: new Date(Date.now() - HOUR), lastMonitoredAt: new Date(Date.now() - HOUR) } });

async function connected(owner: TestOwner) {
  const number = newNumber();
  const res = await connect(owner, { ...number, name: "Front desk" });
  expect(res.status).toBe(201);
  return { ...number, id: connectionSchema.parse(res.body.data).id };
}

beforeEach(() => sim().reset());

afterAll(() => {
  expect(tokens.length).toBeGreaterThan(0);
  expect(bodies.length).toBeGreaterThan(20);
  for (const body of bodies) for (const token of tokens) expect(body).not.toContain(token);
});

describe("POST /api/v1/connections – connect a number", () => {
  it("checks the number with Meta, subscribes to the WABA's webhooks, seals the token and runs a first check", async () => {
    const owner = await createTestOwner();
    const number = newNumber();
    const res = await connect(owner, { ...number, name: "Front desk" });
    expect(res.status).toBe(201);
    const view = connectionSchema.parse(res.body.data);
    expect(view).toMatchObject({
      name: "Front desk",
      wabaId: number.wabaId,
      phoneNumberId: number.phoneNumberId,
      status: "ACTIVE",
      health: { level: "HEALTHY" },
      token: { last4: number.accessToken.slice(-4), valid: true },
      qualityRating: "GREEN",
      numberStatus: "CONNECTED",
      webhook: { subscribed: true },
      uptime: { "24h": 1, "7d": 1, "30d": 1 },
    });
    // Connected a moment ago: every window has observed only that moment, and says so.
    expect(view.uptimeObservedSeconds["30d"]).toBeLessThan(120);
    expect(view.uptimeObservedSeconds["24h"]).toBe(view.uptimeObservedSeconds["30d"]);
    expect(view.displayPhoneNumber).toMatch(/^\+1 555/);
    expect(view.verifiedName).toBeTruthy();
    expect(view.health.lastCheckAt).not.toBeNull();

    expect(graphCalls("GET /{phone-number-id}")[0]).toMatchObject({ phoneNumberId: number.phoneNumberId, status: 200 });
    expect(graphCalls("POST /{waba-id}/subscribed_apps")).toMatchObject([{ wabaId: number.wabaId, status: 200 }]);

    const row = await rowOf(view.id);
    expect(row.workspaceId).toBe(owner.workspaceId);
    expect(Buffer.from(row.token!.ciphertext).toString("utf8")).not.toContain(number.accessToken.slice(4, 20));
    expect(openToken(row.token!, owner.workspaceId)).toBe(number.accessToken);
    expect(await prisma.healthCheck.count({ where: { connectionId: view.id } })).toBeGreaterThanOrEqual(2);
    expect(await prisma.connectionTransition.findMany({ where: { connectionId: view.id } })).toMatchObject([{ online: true }]);
    expect(await prisma.activityEvent.count({ where: { connectionId: view.id, type: "connection.connected" } })).toBe(1);
  });

  it("a token Meta rejects (190) is a clear 422 and nothing is stored or subscribed", async () => {
    const owner = await createTestOwner();
    const number = newNumber();
    sim().setTokenInvalid(number.accessToken, 190, 463);
    const res = await connect(owner, number);
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe("unprocessable_entity");
    expect(res.body.error?.message).toMatch(/Meta rejected the access token/);
    expect(res.body.error?.message).toMatch(/190\/463/);
    expect(res.body.error?.message).toMatch(/Nothing was saved/);
    expect(graphCalls("POST /{waba-id}/subscribed_apps")).toHaveLength(0);
    expect(await prisma.whatsAppConnection.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
    expect(await prisma.accessToken.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("Meta's reason is passed on, with the token scrubbed even when Meta echoes it", async () => {
    const owner = await createTestOwner();
    const number = { ...newNumber(), accessToken: `tok_${randomBytes(16).toString("hex")}` };
    tokens.push(number.accessToken);
    sim().script({ pathPattern: "^/\\d+$", error: { code: 190, message: `Malformed access token ${number.accessToken}` }, times: 1 });
    const res = await connect(owner, number);
    expect(res.status).toBe(422);
    expect(res.body.error?.message).toContain("Malformed access token");
    expect(res.body.error?.message).not.toContain(number.accessToken);
  });

  it("an unknown phone number id, a refused subscription and an unavailable Graph each say what went wrong", async () => {
    const owner = await createTestOwner();
    sim().script({ pathPattern: "^/\\d+$", error: { code: 100, subcode: 33, message: "Unsupported get request. Object with ID does not exist" }, times: 1 });
    const unknown = await connect(owner, newNumber());
    expect(unknown.status).toBe(422);
    expect(unknown.body.error?.message).toMatch(/could not find phone number \d+ with this token/);

    sim().script({ pathPattern: "/subscribed_apps$", method: "POST", error: { code: 200, message: "Permissions error" }, times: 1 });
    const refused = await connect(owner, newNumber());
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toMatch(/may not manage WhatsApp Business Account/);

    sim().script({ pathPattern: "^/\\d+$", error: { code: 2, message: "Service temporarily unavailable" }, times: 1 });
    const down = await connect(owner, newNumber());
    expect(down.status).toBe(502);
    expect(down.body.error?.message).toMatch(/Try again/);

    sim().script({ pathPattern: "^/\\d+$", error: { code: 80007 }, times: 1 });
    expect((await connect(owner, newNumber())).status).toBe(429);
    expect(await prisma.whatsAppConnection.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("a number already connected is a 409, here or in another workspace, before any call to Meta", async () => {
    const owner = await createTestOwner();
    const number = await connected(owner);
    sim().reset();
    const again = await connect(owner, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: newNumber().accessToken });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/already connected to this workspace/);

    const other = await createTestOwner("other");
    const elsewhere = await connect(other, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: newNumber().accessToken });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error?.message).toMatch(/another WhaTrack workspace/);
    // The other workspace's token was never sent to Meta for a number it does not hold.
    expect(sim().requests()).toEqual([]);
    expect(await prisma.accessToken.count({ where: { workspaceId: other.workspaceId } })).toBe(0);
    expect(await prisma.accessToken.count({ where: { workspaceId: owner.workspaceId } })).toBe(1);
  });

  it("a WhatsApp Business Account that does not list the number is a clear 422: nothing stored, nothing subscribed", async () => {
    const owner = await createTestOwner();
    const number = newNumber();
    sim().setNumber(number.phoneNumberId, { wabaId: digits(15) });
    const res = await connect(owner, number);
    expect(res.status).toBe(422);
    expect(res.body.error?.message).toMatch(new RegExp(`phone number ${number.phoneNumberId} is not in WhatsApp Business Account ${number.wabaId}`, "i"));
    expect(res.body.error?.message).toMatch(/Nothing was saved/);
    expect(graphCalls("GET /{waba-id}/phone_numbers")).toMatchObject([{ wabaId: number.wabaId, status: 200 }]);
    expect(graphCalls("POST /{waba-id}/subscribed_apps")).toHaveLength(0);
    expect(await prisma.whatsAppConnection.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
    expect(await prisma.accessToken.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("finds the number on a later page of the account's numbers", async () => {
    const owner = await createTestOwner();
    const number = newNumber();
    for (let i = 0; i < 120; i++) sim().setNumber(digits(15), { wabaId: number.wabaId });
    sim().setNumber(number.phoneNumberId, { wabaId: number.wabaId });
    const res = await connect(owner, number);
    expect(res.status).toBe(201);
    expect(graphCalls("GET /{waba-id}/phone_numbers").length).toBeGreaterThan(1);
  });

  it("a number removed in one workspace can be connected in another, and back again on its old row", async () => {
    const first = await createTestOwner("first");
    const number = await connected(first);
    expect((await disconnect(first, number.id)).status).toBe(200);
    await agePastRouting(number.id);

    const second = await createTestOwner("second");
    const token = newNumber().accessToken;
    const moved = await connect(second, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: token });
    expect(moved.status).toBe(201);
    const movedId = connectionSchema.parse(moved.body.data).id;
    expect(movedId).not.toBe(number.id);
    expect(await rowOf(movedId)).toMatchObject({ workspaceId: second.workspaceId, status: "ACTIVE" });
    // The first workspace keeps its history on its own row; deliveries for the number now go to the second.
    expect(await rowOf(number.id)).toMatchObject({ workspaceId: first.workspaceId, status: "REMOVED", tokenId: null });
    expect((await findRoutingConnection(number.phoneNumberId))?.id).toBe(movedId);
    expect(await resolveEventWorkspace({ phoneNumberIds: [number.phoneNumberId], wabaIds: [] })).toBe(second.workspaceId);

    // While the second workspace holds it, the first cannot take it back — and Meta is not asked.
    sim().reset();
    const refused = await connect(first, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: number.accessToken });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toMatch(/another WhaTrack workspace/);
    expect(sim().requests()).toEqual([]);

    // Once the second lets it go, the first connects it again on its old row, history and all.
    expect((await disconnect(second, movedId)).status).toBe(200);
    await agePastRouting(movedId);
    const back = await connect(first, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: number.accessToken });
    expect(back.status).toBe(201);
    expect(back.body.data).toMatchObject({ id: number.id, status: "ACTIVE" });
    expect(await prisma.activityEvent.count({ where: { connectionId: number.id, type: "connection.connected" } })).toBe(2);
  });

  it("a number removed elsewhere moments ago waits until every instance's routing has let go of it", async () => {
    const first = await createTestOwner("first");
    const number = await connected(first);
    expect((await disconnect(first, number.id)).status).toBe(200);
    sim().reset();
    const second = await createTestOwner("second");
    const soon = await connect(second, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: newNumber().accessToken });
    expect(soon.status).toBe(409);
    expect(soon.body.error?.message).toMatch(/disconnected from another WhaTrack workspace moments ago/);
    expect(sim().requests()).toEqual([]);
    // The workspace that removed it may take it back at once: its routing points at that same row.
    expect((await connect(first, { wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: number.accessToken })).status).toBe(201);
  });

  it("two workspaces connecting the same number at once: one gets it, the other a 409", async () => {
    const [a, b] = [await createTestOwner("a"), await createTestOwner("b")];
    const number = newNumber();
    const results = await Promise.all([connect(a, number), connect(b, { ...number, accessToken: newNumber().accessToken })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await prisma.whatsAppConnection.count({ where: { phoneNumberId: number.phoneNumberId } })).toBe(1);
  });

  it("refuses malformed input (422, or 400 for a body that is not JSON) before calling Meta", async () => {
    const owner = await createTestOwner();
    const number = newNumber();
    for (const body of [{}, { ...number, wabaId: "abc" }, { ...number, phoneNumberId: "12/../34" }, { ...number, accessToken: "short" }]) {
      const res = await connect(owner, body);
      expect(res.status).toBe(422);
      expect(res.body.error?.code).toBe("unprocessable_entity");
    }
    const notJson = await connect(owner, "not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.code).toBe("bad_request");
    expect(sim().requests()).toHaveLength(0);
  });
});

describe("GET /api/v1/connections and /{id}", () => {
  it("lists the workspace's numbers with health, token state and uptime; one by id with its settings", async () => {
    const owner = await createTestOwner();
    const a = await connected(owner);
    const b = await connected(owner);
    const res = await list(owner);
    expect(res.status).toBe(200);
    const views = connectionSchema.array().parse(res.body.data);
    expect(views.map((v) => v.id)).toEqual([a.id, b.id]);
    expect(views[0]!.token?.last4).toBe(a.accessToken.slice(-4));

    const one = await getOne(owner, a.id);
    expect(one.status).toBe(200);
    expect(connectionSchema.parse(one.body.data)).toMatchObject({ id: a.id, settings: { autoReplyEnabled: true, alertEmails: [] } });
  });

  it("asks for a session", async () => {
    expect((await list(null)).status).toBe(401);
  });
});

describe("PATCH /api/v1/connections/{id} – settings", () => {
  it("updates auto-reply and alert recipients", async () => {
    const owner = await createTestOwner();
    const { id } = await connected(owner);
    const res = await patch(owner, id, {
      autoReplyEnabled: false,
      autoReplyText: "  We answer text messages only.  ",
      autoReplyTypes: ["audio", "video", "audio"],
      alertEmails: ["Ops@Example.com", "ops@example.com", "owner@example.com"],
    });
    expect(res.status).toBe(200);
    expect(connectionSchema.parse(res.body.data).settings).toEqual({
      autoReplyEnabled: false,
      autoReplyText: "We answer text messages only.",
      autoReplyTypes: ["audio", "video"],
      alertEmails: ["ops@example.com", "owner@example.com"],
    });
    expect(await rowOf(id)).toMatchObject({ autoReplyEnabled: false, alertEmails: ["ops@example.com", "owner@example.com"] });

    // null restores the product's default text
    expect((await patch(owner, id, { autoReplyText: null })).body.data).toMatchObject({ settings: { autoReplyText: null } });
  });

  it("refuses unknown fields, bad emails, unknown message types and an empty update", async () => {
    const owner = await createTestOwner();
    const { id } = await connected(owner);
    for (const body of [{ status: "REMOVED" }, { alertEmails: ["not-an-email"] }, { autoReplyTypes: ["fax"] }, {}, { tokenId: null }]) {
      expect((await patch(owner, id, body)).status).toBe(422);
    }
    expect(await rowOf(id)).toMatchObject({ status: "ACTIVE" });
  });
});

describe("DELETE /api/v1/connections/{id} – disconnect", () => {
  it("unsubscribes from the WABA's webhooks, erases the token and keeps the number as REMOVED", async () => {
    const owner = await createTestOwner();
    const { id, wabaId, accessToken } = await connected(owner);
    const tokenId = (await rowOf(id)).tokenId!;
    sim().reset();

    const res = await disconnect(owner, id);
    expect(res.status).toBe(200);
    const result = disconnectResultSchema.parse(res.body.data);
    expect(result.webhook).toEqual({ outcome: "unsubscribed", message: null });
    expect(result.connection).toMatchObject({ status: "REMOVED", token: null, health: { level: "REMOVED" } });
    expect(graphCalls("DELETE /{waba-id}/subscribed_apps")).toMatchObject([{ wabaId, status: 200 }]);

    expect(await rowOf(id)).toMatchObject({ status: "REMOVED", tokenId: null, webhookSubscribed: false });
    expect(await prisma.accessToken.findUnique({ where: { id: tokenId } })).toBeNull();
    expect(await prisma.activityEvent.count({ where: { connectionId: id, type: "connection.removed" } })).toBe(1);
    expect(connectionSchema.array().parse((await list(owner)).body.data)).toHaveLength(0);

    // Again: nothing left to do, and no second call to Meta.
    const again = await disconnect(owner, id);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ webhook: { outcome: "skipped" } });
    expect(graphCalls("DELETE /{waba-id}/subscribed_apps")).toHaveLength(1);

    // A removed number has no settings to change and nothing to check…
    expect((await patch(owner, id, { autoReplyEnabled: false })).status).toBe(409);
    expect((await checkNow(owner, id)).status).toBe(409);

    // …but can be connected again, on its old row.
    const back = await connect(owner, { wabaId, phoneNumberId: (await rowOf(id)).phoneNumberId, accessToken: `${accessToken}2` });
    tokens.push(`${accessToken}2`);
    expect(back.status).toBe(201);
    expect(back.body.data).toMatchObject({ id, status: "ACTIVE", token: { valid: true } });
  });

  it("still disconnects when Meta refuses to unsubscribe, and says so", async () => {
    const owner = await createTestOwner();
    const { id, accessToken } = await connected(owner);
    sim().setTokenInvalid(accessToken);
    const res = await disconnect(owner, id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ webhook: { outcome: "failed", message: expect.stringMatching(/could not unsubscribe from its webhooks \(Meta refused: .+ \(Graph error 190\)\)/) } });
    expect(await rowOf(id)).toMatchObject({ status: "REMOVED", tokenId: null });
    expect(await prisma.accessToken.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("keeps the subscription while another connected number shares the WABA", async () => {
    const owner = await createTestOwner();
    const first = await connected(owner);
    const second = newNumber();
    expect((await connect(owner, { ...second, wabaId: first.wabaId })).status).toBe(201);
    sim().reset();
    const res = await disconnect(owner, first.id);
    expect(res.body.data).toMatchObject({ webhook: { outcome: "skipped", message: expect.stringMatching(/another connected number/) } });
    expect(graphCalls("DELETE /{waba-id}/subscribed_apps")).toHaveLength(0);
  });
});

describe("POST /api/v1/connections/{id}/check – check now", () => {
  it("runs the token check and the monitor now and returns the fresh state", async () => {
    const owner = await createTestOwner();
    const { id, phoneNumberId, accessToken } = await connected(owner);
    await ageLastChecks(id);
    sim().reset();

    const ok = await checkNow(owner, id);
    expect(ok.status).toBe(200);
    const result = checkNowResultSchema.parse(ok.body.data);
    expect(result.connection.health.level).toBe("HEALTHY");
    expect(result.checks.map((c) => c.kind).sort()).toEqual(["number", "token"]);
    expect(graphCalls("GET /{phone-number-id}").length).toBeGreaterThanOrEqual(2);

    // A second click at once is refused rather than run twice.
    expect((await checkNow(owner, id)).status).toBe(429);

    // The number goes offline: Warning, with the monitor's reason.
    sim().setNumber(phoneNumberId, { status: "BANNED" });
    await ageLastChecks(id);
    const offline = checkNowResultSchema.parse((await checkNow(owner, id)).body.data);
    expect(offline.connection.health).toMatchObject({ level: "WARNING", reason: expect.stringContaining("BANNED") });
    expect(offline.checks.find((c) => c.kind === "number")).toMatchObject({ result: "WARNING", reason: expect.stringContaining("BANNED") });

    // Meta rejects the token: Invalid token, and Meta's reason.
    sim().setTokenInvalid(accessToken, 190, 460);
    await ageLastChecks(id);
    const invalid = checkNowResultSchema.parse((await checkNow(owner, id)).body.data);
    expect(invalid.connection.health).toMatchObject({ level: "INVALID_TOKEN", reason: expect.stringContaining("password was changed") });
    expect(invalid.connection.token).toMatchObject({ valid: false });
    expect(invalid.checks).toMatchObject([{ kind: "token", result: "ERROR", errorCode: 190 }]);
  });
});

describe("GET /api/v1/connections/{id}/health – timeline", () => {
  it("buckets checks and uptime over 7 or 30 days and lists recent checks with their reasons", async () => {
    const owner = await createTestOwner();
    const number = newNumber();
    const c = await createConnection({ workspaceId: owner.workspaceId, wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, accessToken: number.accessToken });
    const now = Date.now();
    const check = (agoMs: number, result: "HEALTHY" | "WARNING" | "ERROR", errorMessage: string | null = null) => ({
      workspaceId: owner.workspaceId,
      connectionId: c.id,
      kind: result === "ERROR" ? "token" : "number",
      result,
      latencyMs: 100,
      errorCode: result === "ERROR" ? 190 : null,
      errorMessage,
      details: result === "WARNING" ? { reason: "number status is FLAGGED" } : {},
      checkedAt: new Date(now - agoMs),
    });
    await prisma.healthCheck.createMany({
      data: [check(HOUR, "HEALTHY"), check(2 * DAY, "ERROR", "Meta rejected the access token (code 190)"), check(3 * DAY, "WARNING"), check(10 * DAY, "HEALTHY")],
    });
    await prisma.connectionTransition.createMany({
      data: [
        { connectionId: c.id, online: true, at: new Date(now - 20 * DAY) },
        { connectionId: c.id, online: false, reason: "number status is BANNED", at: new Date(now - 3 * DAY) },
        { connectionId: c.id, online: true, at: new Date(now - 2 * DAY) },
      ],
    });

    const week = await health(owner, c.id, "?days=7");
    expect(week.status).toBe(200);
    const t7 = healthTimelineSchema.parse(week.body.data);
    expect(t7).toMatchObject({ days: 7, bucketHours: 6 });
    expect(t7.buckets).toHaveLength(28);
    const totals = t7.buckets.reduce((s, b) => ({ healthy: s.healthy + b.healthy, warning: s.warning + b.warning, error: s.error + b.error }), { healthy: 0, warning: 0, error: 0 });
    expect(totals).toEqual({ healthy: 1, warning: 1, error: 1 });
    expect(t7.uptime).toBeGreaterThan(0.8);
    expect(t7.uptime).toBeLessThan(0.9);
    expect(t7.transitions.map((t) => t.online)).toEqual([false, true]);
    expect(t7.buckets.some((b) => b.uptime === 0)).toBe(true);
    expect(t7.recentChecks.map((r) => r.reason)).toEqual([null, "Meta rejected the access token (code 190)", "number status is FLAGGED", null]);

    const month = healthTimelineSchema.parse((await health(owner, c.id, "?days=30")).body.data);
    expect(month).toMatchObject({ days: 30, bucketHours: 24 });
    expect(month.buckets).toHaveLength(30);
    expect(month.buckets.reduce((s, b) => s + b.healthy, 0)).toBe(2);

    expect((await health(owner, c.id)).body.data).toMatchObject({ days: 7 });
    expect((await health(owner, c.id, "?days=9")).status).toBe(422);
  });
});

describe("tenancy and CSRF", () => {
  it("another workspace's owner gets 404 for this workspace's number on every route, and changes nothing", async () => {
    const owner = await createTestOwner();
    const { id } = await connected(owner);
    const before = await rowOf(id);
    const intruder = await createTestOwner("intruder");
    sim().reset();

    expect((await getOne(intruder, id)).status).toBe(404);
    expect((await patch(intruder, id, { autoReplyEnabled: false, alertEmails: ["x@evil.example"] })).status).toBe(404);
    expect((await checkNow(intruder, id)).status).toBe(404);
    expect((await health(intruder, id, "?days=30")).status).toBe(404);
    expect((await disconnect(intruder, id)).status).toBe(404);
    for (const res of [await getOne(intruder, id), await disconnect(intruder, id)]) expect(res.body.error).toEqual({ code: "not_found", message: "Connection not found" });
    expect(connectionSchema.array().parse((await list(intruder)).body.data)).toEqual([]);

    expect(sim().requests()).toHaveLength(0);
    const after = await rowOf(id);
    expect(after).toMatchObject({ status: "ACTIVE", tokenId: before.tokenId, autoReplyEnabled: true, alertEmails: [], lastHealthCheckAt: before.lastHealthCheckAt });
  });

  it("refuses mutations without this site's Origin (403) and changes nothing", async () => {
    const owner = await createTestOwner();
    const { id } = await connected(owner);
    const number = newNumber();
    for (const origin of [null, "https://evil.example"]) {
      expect((await connect(owner, number, { origin })).status).toBe(403);
      expect((await patch(owner, id, { autoReplyEnabled: false }, { origin })).status).toBe(403);
      expect((await disconnect(owner, id, { origin })).status).toBe(403);
      expect((await checkNow(owner, id, { origin })).status).toBe(403);
    }
    expect(await prisma.whatsAppConnection.count({ where: { phoneNumberId: number.phoneNumberId } })).toBe(0);
    expect(await rowOf(id)).toMatchObject({ status: "ACTIVE", autoReplyEnabled: true });
  });
});
