import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_STATUS } from "@/lib/http/app-error";
import { errorEnvelopeSchema, successEnvelope } from "@/lib/http/envelope";
import { API_OPERATIONS } from "@/lib/openapi/api-operations";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// Every API route file, called over HTTP on `next start`, with at least one call that succeeds and one
// that fails: every JSON answer is the one envelope (lib/http/envelope.ts). A success must parse, with
// no undocumented key, as `success: true` + the payload schema its OpenAPI operation declares; an error
// as `{ success: false, error: { code, message } }` with the status its code maps to. The few
// exceptions (docs/architecture.md) are listed here by name. Complete by construction: the route files
// are found on disk, and a route or method without its calls fails the test.
const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

const API_ROOT = path.resolve("app/api");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];

/** What a success of this route answers instead of the envelope (an error is always the envelope). */
type Exception = "probe" | "text" | "document" | "metrics";
const EXCEPTIONS: Record<string, Exception> = {
  "GET health": "probe",
  "GET metrics": "metrics",
  "GET ping": "probe",
  "POST ping": "probe",
  "GET v1/openapi.json": "document",
  "GET v1/webhooks/whatsapp": "text",
};
// Routes with no error of their own to provoke: the probes answer whatever they find, the document is static.
const NO_ERROR_CASE = new Set(["GET health", "GET ping", "GET v1/openapi.json"]);

type Call = { label: string; status: number; send: () => Promise<Response> };

/** Route files under app/api, as "v1/connections/[id]", with the methods each exports (read from the file). */
function discoverRoutes(): Array<{ route: string; methods: Method[] }> {
  return readdirSync(API_ROOT, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => {
      const source = readFileSync(path.join(API_ROOT, file), "utf8");
      const methods = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source));
      return { route: path.dirname(file).split(path.sep).join("/"), methods };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

const openApiPath = (route: string) => `/api/${route.replace(/\[(\w+)\]/g, "{$1}")}`;

describe.skipIf(!onServer)("one envelope on every API route, on next start", () => {
  let server: NextServer;
  const port = 4300 + (process.pid % 90);
  const JOB = "webhook-retry";
  const metricsToken = randomBytes(24).toString("hex");

  // Filled in beforeAll: objects of one workspace, and callers of each kind.
  let owner: { cookie: string; workspaceId: string };
  let adminToken: string;
  let connectionId: string;
  let spareConnectionId: string;
  let conversationId: string;
  let deadEventId: string;
  let deadSendId: string;
  let apiKey: string;
  let customer: string;
  let signInUser: { email: string; password: string };
  let passwordUser: { cookie: string; password: string };
  let leavingCookies: string[];
  let apiKeyId: string;

  type Options = { cookie?: string; bearer?: string; cron?: boolean; body?: unknown; rawBody?: string; headers?: Record<string, string> };

  /** A call as a browser (this site's Origin on mutations), a cron, an admin or Meta would make it. */
  function call(method: string, urlPath: string, options: Options = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(method === "GET" ? {} : { origin: server.url }) };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.cron) headers["x-cron-secret"] = process.env.CRON_SECRET!;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    return fetch(`${server.url}${urlPath}`, { method, headers: { ...headers, ...options.headers }, body, redirect: "manual" });
  }
  const asOwner = (method: string, urlPath: string, options: Options = {}) => call(method, urlPath, { cookie: owner.cookie, ...options });
  const asAdmin = (method: string, urlPath: string, options: Options = {}) => call(method, urlPath, { bearer: adminToken, ...options });
  const ok = (label: string, send: () => Promise<Response>, status = 200): Call => ({ label, status, send });
  const fails = (label: string, status: number, send: () => Promise<Response>): Call => ({ label, status, send });

  /** A multipart upload as the browser's FormData sends it. */
  function uploadMedia(file: { bytes: Buffer; type: string; name: string }): Promise<Response> {
    const form = new FormData();
    form.set("connectionId", connectionId);
    form.set("file", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    return fetch(`${server.url}/api/v1/media`, { method: "POST", headers: { cookie: owner.cookie, origin: server.url }, body: form });
  }
  const png = (size: number) => {
    const bytes = Buffer.alloc(size);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
    return bytes;
  };

  async function signedDelivery(body: string): Promise<Response> {
    const { signBody } = await import("@/sim/webhook-payloads");
    return call("POST", "/api/v1/webhooks/whatsapp", { rawBody: body, headers: { "content-type": "application/json", "x-hub-signature-256": signBody(Buffer.from(body), process.env.WHATSAPP_APP_SECRET!) } });
  }

  // Every route file and method: its calls, in order. Mutations act on objects made for them.
  const CALLS: Record<string, () => Call[]> = {
    "GET health": () => [ok("ready", () => call("GET", "/api/health"))],
    "GET ping": () => [ok("alive", () => call("GET", "/api/ping"))],
    "GET metrics": () => [ok("a scrape", () => call("GET", "/api/metrics", { bearer: metricsToken })), fails("no token", 401, () => call("GET", "/api/metrics"))],
    "POST ping": () => [ok("a small body", () => call("POST", "/api/ping", { rawBody: "x" })), fails("a body over 64 KiB", 413, () => call("POST", "/api/ping", { rawBody: "x".repeat(70 * 1024) }))],

    "GET v1/activity": () => [ok("the feed", () => asOwner("GET", "/api/v1/activity")), fails("signed out", 401, () => call("GET", "/api/v1/activity")), fails("a bad limit", 422, () => asOwner("GET", "/api/v1/activity?limit=9999"))],
    "GET v1/api-keys": () => [ok("the keys", () => asOwner("GET", "/api/v1/api-keys")), fails("signed out", 401, () => call("GET", "/api/v1/api-keys"))],
    "POST v1/api-keys": () => [ok("created", () => asOwner("POST", "/api/v1/api-keys", { body: { name: "envelope" } }), 201), fails("no name", 422, () => asOwner("POST", "/api/v1/api-keys", { body: {} }))],
    "DELETE v1/api-keys/[id]": () => [ok("revoked", () => asOwner("DELETE", `/api/v1/api-keys/${apiKeyId}`)), fails("unknown id", 404, () => asOwner("DELETE", "/api/v1/api-keys/nope"))],
    "GET v1/auth/me": () => [ok("the session", () => asOwner("GET", "/api/v1/auth/me")), fails("signed out", 401, () => call("GET", "/api/v1/auth/me"))],
    "POST v1/auth/password": () => [
      fails("the wrong current password", 403, () => call("POST", "/api/v1/auth/password", { cookie: passwordUser.cookie, body: { currentPassword: "not it at all", newPassword: "a brand new passphrase 42" } })),
      fails("a too short new one", 422, () => call("POST", "/api/v1/auth/password", { cookie: passwordUser.cookie, body: { currentPassword: passwordUser.password, newPassword: "short" } })),
      ok("changed", () => call("POST", "/api/v1/auth/password", { cookie: passwordUser.cookie, body: { currentPassword: passwordUser.password, newPassword: "a brand new passphrase 42" } })),
    ],
    "GET v1/auth/sessions": () => [ok("the devices", () => asOwner("GET", "/api/v1/auth/sessions")), fails("signed out", 401, () => call("GET", "/api/v1/auth/sessions"))],
    "DELETE v1/auth/sessions": () => [
      fails("from another site", 403, () => call("DELETE", "/api/v1/auth/sessions", { cookie: leavingCookies[0], headers: { origin: "https://evil.example" } })),
      ok("everywhere", () => call("DELETE", "/api/v1/auth/sessions", { cookie: leavingCookies[0] })),
    ],
    "POST v1/auth/sign-in": () => [
      ok("right password", () => call("POST", "/api/v1/auth/sign-in", { body: signInUser })),
      fails("wrong password", 401, () => call("POST", "/api/v1/auth/sign-in", { body: { email: signInUser.email, password: "not the password" } })),
      fails("no body", 422, () => call("POST", "/api/v1/auth/sign-in")),
      fails("not JSON", 400, () => call("POST", "/api/v1/auth/sign-in", { rawBody: "{nope", headers: { "content-type": "application/json" } })),
    ],
    "POST v1/auth/sign-out": () => [ok("signed out", () => call("POST", "/api/v1/auth/sign-out", { cookie: leavingCookies[1] })), fails("from another site", 403, () => call("POST", "/api/v1/auth/sign-out", { headers: { origin: "https://evil.example" } }))],
    "POST v1/auth/sign-up": () => {
      const account = { email: `envelope-${process.pid}@example.test`, password: "correct horse envelope staple", workspaceName: "Envelope shop" };
      return [ok("a new account", () => call("POST", "/api/v1/auth/sign-up", { body: account }), 201), fails("the same email again", 409, () => call("POST", "/api/v1/auth/sign-up", { body: account })), fails("no workspace name", 422, () => call("POST", "/api/v1/auth/sign-up", { body: { email: account.email, password: account.password } }))];
    },

    "GET v1/connections": () => [ok("the numbers", () => asOwner("GET", "/api/v1/connections")), fails("signed out", 401, () => call("GET", "/api/v1/connections"))],
    "POST v1/connections": () => {
      const digits = () => String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
      return [
        ok("connected", () => asOwner("POST", "/api/v1/connections", { body: { wabaId: digits(), phoneNumberId: digits(), accessToken: `EAAT${"e".repeat(32)}` } }), 201),
        fails("not a number id", 422, () => asOwner("POST", "/api/v1/connections", { body: { wabaId: "x", phoneNumberId: "y", accessToken: "z" } })),
      ];
    },
    "GET v1/connections/[id]": () => [ok("one number", () => asOwner("GET", `/api/v1/connections/${connectionId}`)), fails("unknown id", 404, () => asOwner("GET", "/api/v1/connections/nope"))],
    "PATCH v1/connections/[id]": () => [ok("renamed", () => asOwner("PATCH", `/api/v1/connections/${connectionId}`, { body: { name: "Front desk" } })), fails("nothing to update", 422, () => asOwner("PATCH", `/api/v1/connections/${connectionId}`, { body: {} }))],
    "DELETE v1/connections/[id]": () => [ok("disconnected", () => asOwner("DELETE", `/api/v1/connections/${spareConnectionId}`)), fails("unknown id", 404, () => asOwner("DELETE", "/api/v1/connections/nope"))],
    "POST v1/connections/[id]/check": () => [ok("checked", () => asOwner("POST", `/api/v1/connections/${connectionId}/check`)), fails("checked seconds ago", 429, () => asOwner("POST", `/api/v1/connections/${connectionId}/check`))],
    "GET v1/connections/[id]/health": () => [ok("30 days", () => asOwner("GET", `/api/v1/connections/${connectionId}/health?days=30`)), fails("5 days", 422, () => asOwner("GET", `/api/v1/connections/${connectionId}/health?days=5`))],

    "GET v1/conversations": () => [ok("the list", () => asOwner("GET", "/api/v1/conversations")), fails("a bad limit", 422, () => asOwner("GET", "/api/v1/conversations?limit=0"))],
    "GET v1/conversations/[id]": () => [ok("one", () => asOwner("GET", `/api/v1/conversations/${conversationId}`)), fails("unknown id", 404, () => asOwner("GET", "/api/v1/conversations/nope"))],
    "GET v1/conversations/[id]/messages": () => [ok("its messages", () => asOwner("GET", `/api/v1/conversations/${conversationId}/messages`)), fails("unknown id", 404, () => asOwner("GET", "/api/v1/conversations/nope/messages"))],

    "GET v1/cron/health-check/stats": () => [ok("the counts", () => asAdmin("GET", "/api/v1/cron/health-check/stats")), fails("no token", 401, () => call("GET", "/api/v1/cron/health-check/stats")), fails("an owner", 403, () => asOwner("GET", "/api/v1/cron/health-check/stats"))],
    "GET v1/cron/status": () => [ok("every job", () => asAdmin("GET", "/api/v1/cron/status")), fails("no token", 401, () => call("GET", "/api/v1/cron/status"))],
    "POST v1/cron/stop/[job]": () => [ok("paused", () => asAdmin("POST", `/api/v1/cron/stop/${JOB}`)), fails("an owner", 403, () => asOwner("POST", `/api/v1/cron/stop/${JOB}`))],
    "POST v1/cron/start/[job]": () => [ok("resumed", () => asAdmin("POST", `/api/v1/cron/start/${JOB}`)), fails("unknown job", 404, () => asAdmin("POST", "/api/v1/cron/start/no-such-job"))],
    "POST v1/cron/trigger/[job]": () => [ok("ran", () => asAdmin("POST", `/api/v1/cron/trigger/${JOB}`)), fails("unknown job", 404, () => asAdmin("POST", "/api/v1/cron/trigger/no-such-job"))],

    "GET v1/emails": () => [ok("the outbox", () => asOwner("GET", "/api/v1/emails")), fails("signed out", 401, () => call("GET", "/api/v1/emails"))],
    "GET v1/health-checks": () => [ok("the history", () => asOwner("GET", `/api/v1/health-checks?connectionId=${connectionId}`)), fails("signed out", 401, () => call("GET", "/api/v1/health-checks"))],

    "GET v1/jobs/[job]": () => [
      ok("ran (Vercel's bearer)", () => call("GET", `/api/v1/jobs/${JOB}`, { bearer: process.env.CRON_SECRET })),
      ok("skipped while paused", async () => {
        await asAdmin("POST", `/api/v1/cron/stop/${JOB}`);
        try {
          return await call("GET", `/api/v1/jobs/${JOB}`, { cron: true });
        } finally {
          await asAdmin("POST", `/api/v1/cron/start/${JOB}`);
        }
      }),
      fails("no secret", 401, () => call("GET", `/api/v1/jobs/${JOB}`)),
      fails("the secret in the URL", 401, () => call("GET", `/api/v1/jobs/${JOB}?secret=${process.env.CRON_SECRET}`)),
      fails("unknown job", 404, () => call("GET", "/api/v1/jobs/no-such-job", { cron: true })),
    ],
    "POST v1/jobs/[job]": () => [ok("ran (x-cron-secret)", () => call("POST", `/api/v1/jobs/${JOB}`, { cron: true })), fails("a wrong secret", 401, () => call("POST", `/api/v1/jobs/${JOB}`, { headers: { "x-cron-secret": "wrong" } }))],
    "GET v1/jobs/[job]/status": () => [ok("the job's state", () => call("GET", `/api/v1/jobs/${JOB}/status`, { cron: true })), fails("unknown job", 404, () => call("GET", "/api/v1/jobs/no-such-job/status", { cron: true }))],
    "GET v1/jobs/dispatch": () => [ok("due jobs", () => call("GET", "/api/v1/jobs/dispatch", { bearer: process.env.CRON_SECRET })), fails("no secret", 401, () => call("GET", "/api/v1/jobs/dispatch"))],
    "POST v1/jobs/dispatch": () => [ok("due jobs", () => call("POST", "/api/v1/jobs/dispatch", { cron: true })), fails("no secret", 401, () => call("POST", "/api/v1/jobs/dispatch"))],

    "POST v1/messages": () => [
      ok("queued (API key)", () => call("POST", "/api/v1/messages", { bearer: apiKey, body: { connectionId, to: customer, type: "text", text: { body: "envelope" } } }), 202),
      fails("window closed", 422, () => call("POST", "/api/v1/messages", { bearer: apiKey, body: { connectionId, to: "15550001111", type: "text", text: { body: "no window" } } })),
      fails("a revoked or unknown key", 401, () => call("POST", "/api/v1/messages", { bearer: "wt_unknown-key-unknown-key-unknown", body: {} })),
    ],
    "GET v1/messages": () => [ok("the sends", () => call("GET", "/api/v1/messages?state=DEAD", { bearer: apiKey })), fails("an unknown state", 422, () => asOwner("GET", "/api/v1/messages?state=bogus"))],
    "GET v1/messages/[id]": () => [ok("one send", () => asOwner("GET", `/api/v1/messages/${deadSendId}`)), fails("unknown id", 404, () => asOwner("GET", "/api/v1/messages/nope"))],
    "POST v1/messages/[id]/retry": () => [ok("requeued", () => asOwner("POST", `/api/v1/messages/${deadSendId}/retry`)), fails("not failed or dead any more", 409, () => asOwner("POST", `/api/v1/messages/${deadSendId}/retry`))],
    "POST v1/messages/retry": () => [ok("all of them", () => call("POST", "/api/v1/messages/retry", { bearer: apiKey, body: {} })), fails("an unknown state", 422, () => asOwner("POST", "/api/v1/messages/retry", { body: { state: "bogus" } }))],
    "POST v1/outbox/drain": () => [ok("draining", () => call("POST", "/api/v1/outbox/drain", { cron: true }), 202), fails("no secret", 401, () => call("POST", "/api/v1/outbox/drain"))],

    "POST v1/media": () => [
      ok("uploaded", () => uploadMedia({ bytes: png(1024), type: "image/png", name: "a.png" }), 201),
      fails("a type WhatsApp does not take", 400, () => uploadMedia({ bytes: Buffer.from("GIF89a"), type: "image/gif", name: "a.gif" })),
      fails("an image over 5 MB", 413, () => uploadMedia({ bytes: png(5 * 1024 * 1024 + 1), type: "image/png", name: "big.png" })),
    ],
    "GET v1/openapi.json": () => [ok("the document", () => call("GET", "/api/v1/openapi.json"))],

    "GET v1/templates": () => [ok("the templates", () => asOwner("GET", `/api/v1/templates?connectionId=${connectionId}`)), fails("a foreign cursor", 422, () => asOwner("GET", "/api/v1/templates?cursor=bogus"))],
    "POST v1/templates/sync": () => [ok("synced", () => asOwner("POST", "/api/v1/templates/sync")), fails("from another site", 403, () => asOwner("POST", "/api/v1/templates/sync", { headers: { origin: "https://evil.example" } }))],
    "GET v1/webhook-events": () => [ok("failed and dead", () => asOwner("GET", "/api/v1/webhook-events")), fails("an unknown state", 422, () => asOwner("GET", "/api/v1/webhook-events?state=bogus"))],
    "POST v1/webhook-events/[id]/replay": () => [ok("replayed", () => asOwner("POST", `/api/v1/webhook-events/${deadEventId}/replay`)), fails("unknown id", 404, () => asOwner("POST", "/api/v1/webhook-events/nope/replay"))],
    "POST v1/webhook-events/replay": () => [ok("a batch", () => asOwner("POST", "/api/v1/webhook-events/replay", { body: {} })), fails("an unknown state", 422, () => asOwner("POST", "/api/v1/webhook-events/replay", { body: { state: "bogus" } }))],
    "POST v1/webhooks/drain": () => [ok("draining", () => call("POST", "/api/v1/webhooks/drain", { cron: true }), 202), fails("no secret", 401, () => call("POST", "/api/v1/webhooks/drain"))],
    "GET v1/webhooks/whatsapp": () => [
      ok("the challenge", () => call("GET", `/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${process.env.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1158201444`)),
      fails("a wrong verify token", 403, () => call("GET", "/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")),
    ],
    "POST v1/webhooks/whatsapp": () => [ok("a signed delivery", () => signedDelivery(`{"object":"whatsapp_business_account","entry":[]}`)), fails("unsigned", 401, () => call("POST", "/api/v1/webhooks/whatsapp", { rawBody: "{}" }))],
  };

  beforeAll(async () => {
    server = await startNextServer({
      port,
      env: {
        DATABASE_URL: process.env.DATABASE_URL,
        REDIS_URL: process.env.TEST_REDIS_URL,
        REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX,
        WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET,
        METRICS_TOKEN: metricsToken,
        WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN,
        TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
        SESSION_SECRET: process.env.SESSION_SECRET,
        CRON_SECRET: process.env.CRON_SECRET,
        GRAPH_API_BASE_URL: process.env.GRAPH_API_BASE_URL,
        LOG_LEVEL: "warn",
      },
    });
    const { prisma } = await import("@/lib/db/client");
    const { hashPassword } = await import("@/lib/auth/hash-password");
    const { mintAdminToken } = await import("@/lib/auth/admin-token");
    const { createConnection } = await import("@/lib/connections/create-connection");
    const { storeWebhookEvent } = await import("@/lib/webhooks/store-webhook-event");
    const { textMessage } = await import("@/sim/webhook-payloads");
    const { connectTestNumber, deliveryFor } = await import("@/tests/helpers/webhook-harness");
    const { ownerOf } = await import("@/tests/helpers/workspace-owner");

    const number = await connectTestNumber({ autoReplyEnabled: false });
    connectionId = number.connectionId;
    owner = await ownerOf(number.workspaceId);
    adminToken = await mintAdminToken({ subject: "envelope-walk@example.test" });
    spareConnectionId = (await createConnection({ workspaceId: number.workspaceId, wabaId: number.wabaId, phoneNumberId: String(300_000_000_000_000 + Math.floor(Math.random() * 1e12)), accessToken: `EAAT${"s".repeat(32)}` })).id;

    // A conversation, by a real signed delivery through the app.
    expect((await signedDelivery(deliveryFor(number, { messages: [textMessage({ from: "15550007777", body: "hello" })] }))).status).toBe(200);
    for (let i = 0; i < 150 && !(await prisma.conversation.findFirst({ where: { workspaceId: number.workspaceId } })); i++) await new Promise((r) => setTimeout(r, 200));
    conversationId = (await prisma.conversation.findFirstOrThrow({ where: { workspaceId: number.workspaceId } })).id;

    const stored = await storeWebhookEvent(Buffer.from(deliveryFor(number, { messages: [textMessage({ body: "a dead one" })] })));
    deadEventId = (
      await prisma.webhookEvent.update({
        where: { id: stored.id },
        data: { state: "DEAD", workspaceId: number.workspaceId, phoneNumberId: number.phoneNumberId, errorKind: "PROCESSING", lastError: "boom", attempts: 8, deadAt: new Date(), nextAttemptAt: null },
      })
    ).id;

    // A workspace API key, a customer whose window is open (the delivery above) and a dead send to retry.
    const { generateApiKey } = await import("@/lib/api-keys/api-key-secret");
    const key = generateApiKey();
    await prisma.apiKey.create({ data: { workspaceId: number.workspaceId, name: "envelope", prefix: key.prefix, keyHash: key.keyHash } });
    apiKey = key.key;
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { contact: true } });
    customer = conversation.contact.waId;
    deadSendId = (
      await prisma.outboundMessage.create({
        data: { workspaceId: number.workspaceId, connectionId, conversationId, contactId: conversation.contactId, to: customer, type: "text", body: { body: "dead" }, state: "DEAD", attempts: 10, nextAttemptAt: null, deadAt: new Date(), lastError: "boom" },
      })
    ).id;

    const withPassword = async (password: string) => {
      const user = await ownerOf(number.workspaceId);
      await prisma.user.update({ where: { id: user.userId }, data: { passwordHash: await hashPassword(password) } });
      return { ...user, password };
    };
    const signingIn = await withPassword("a passphrase to sign in with");
    signInUser = { email: signingIn.email, password: signingIn.password };
    passwordUser = await withPassword("a passphrase to change 17");
    leavingCookies = [(await ownerOf(number.workspaceId)).cookie, (await ownerOf(number.workspaceId)).cookie];
    const { prefix, keyHash } = generateApiKey();
    apiKeyId = (await prisma.apiKey.create({ data: { workspaceId: number.workspaceId, name: "to revoke", prefix, keyHash } })).id;
  });
  afterAll(async () => server?.stop());

  it("has calls for every route file and method, a success and an error each (but the listed exceptions), and none for routes that are gone", () => {
    const routes = discoverRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const keys = routes.flatMap(({ route, methods }) => methods.map((m) => `${m} ${route}`));
    expect(keys.filter((k) => !CALLS[k]), "routes without calls in tests/e2e/envelope-walk.test.ts").toEqual([]);
    expect(Object.keys(CALLS).filter((k) => !keys.includes(k)), "calls for routes that no longer exist").toEqual([]);
    for (const [key, calls] of Object.entries(CALLS)) {
      // The factories only build closures; nothing is sent until the walk below.
      const list = calls();
      expect(list.some((c) => c.status < 400), `${key} has no success call`).toBe(true);
      if (!NO_ERROR_CASE.has(key)) expect(list.some((c) => c.status >= 400), `${key} has no error call`).toBe(true);
    }
  });

  for (const [key, calls] of Object.entries(CALLS)) {
    it(key, async () => {
      const [method, route] = key.split(" ") as [Method, string];
      const op = API_OPERATIONS.find((o) => o.method === method.toLowerCase() && o.path === openApiPath(route));
      for (const c of calls()) {
        const res = await c.send();
        const text = await res.text();
        const what = `${key} (${c.label}) → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, what).toBe(c.status);
        if (res.status >= 400) {
          expect(res.headers.get("content-type"), what).toMatch(/^application\/json/);
          const body = errorEnvelopeSchema.safeParse(JSON.parse(text));
          expect(body.error?.issues ?? [], what).toEqual([]);
          expect(res.status, `${what}: the status its code maps to`).toBe(ERROR_STATUS[body.data!.error.code]);
          continue;
        }
        const exception = EXCEPTIONS[key];
        if (exception === "text") {
          expect(res.headers.get("content-type"), what).toMatch(/^text\/plain/);
          expect(text).toBe("1158201444");
        } else if (exception === "metrics") {
          expect(res.headers.get("content-type"), what).toMatch(/^text\/plain/);
          expect(text, what).toMatch(/^whatrack_webhook_backlog\{state="PENDING"\} \d+$/m);
        } else if (exception === "document") {
          expect(JSON.parse(text), what).toMatchObject({ openapi: "3.1.0", components: { schemas: { Error: expect.any(Object) } } });
        } else if (exception === "probe") {
          expect(JSON.parse(text), what).toMatchObject(route === "health" ? { status: expect.stringMatching(/^(ok|degraded)$/) } : { ok: true });
        } else {
          expect(op?.response, `${key}: its OpenAPI operation declares the success payload`).toBeDefined();
          const body = successEnvelope(op!.response!).strict().safeParse(JSON.parse(text));
          expect(body.error?.issues ?? [], what).toEqual([]);
        }
      }
    });
  }
});
