import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGraphSimulator, type GraphSimulator } from "@/sim/graph-server";

// The client against the simulator over real HTTP. `env` is read when lib/env is first imported, so the
// base URL and timeout are set before the client (and the logger it pulls in) are imported dynamically.

type Client = typeof import("@/lib/whatsapp/graph-client");
type ErrorModule = typeof import("@/lib/whatsapp/graph-error");
type LoggerModule = typeof import("@/lib/log/logger");

const TOKEN = "EAAGclienttestTOKEN0123456789abcdef";
const APP_TOKEN = "987654321098765|app-secret-value";
const TIMEOUT_MS = 300;

let sim: GraphSimulator;
let client: Client;
let GraphError: ErrorModule["GraphError"];
let logger: LoggerModule["logger"];

beforeAll(async () => {
  sim = await startGraphSimulator({ appId: "987654321098765", appSecret: "app-secret-value" });
  vi.stubEnv("GRAPH_API_BASE_URL", sim.url);
  vi.stubEnv("GRAPH_API_VERSION", "v25.0");
  vi.stubEnv("GRAPH_API_TIMEOUT_MS", String(TIMEOUT_MS));
  vi.resetModules();
  client = await import("@/lib/whatsapp/graph-client");
  ({ GraphError } = await import("@/lib/whatsapp/graph-error"));
  ({ logger } = await import("@/lib/log/logger"));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});
beforeEach(() => {
  sim.control.reset();
  vi.restoreAllMocks();
});

async function failure(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof GraphError)) throw new Error(`expected a GraphError, got ${String(err)}`);
  return err;
}

describe("successful calls", () => {
  it("getPhoneNumber returns the number's details, typed", async () => {
    const n = await client.getPhoneNumber({ token: TOKEN, phoneNumberId: "106540352242922" });
    expect(n).toEqual({
      id: "106540352242922",
      status: "CONNECTED",
      qualityRating: "GREEN",
      nameStatus: "APPROVED",
      codeVerificationStatus: "VERIFIED",
      displayPhoneNumber: expect.stringMatching(/^\+1 555-/),
      verifiedName: expect.any(String),
      throughputLevel: expect.stringMatching(/^(STANDARD|HIGH)$/),
      messagingLimit: expect.stringMatching(/^TIER_/),
    });
    expect(sim.control.requests()[0]).toMatchObject({ method: "GET", path: "/106540352242922" });
  });

  it("getHealthStatus returns overall and per-entity availability", async () => {
    sim.control.setNumber("P1", { canSendMessage: "LIMITED" });
    const h = await client.getHealthStatus({ token: TOKEN, nodeId: "P1" });
    expect(h.canSendMessage).toBe("LIMITED");
    expect(h.entities.map((e) => e.entityType)).toEqual(["PHONE_NUMBER", "WABA", "BUSINESS", "APP"]);
    expect(h.entities[0]).toMatchObject({ id: "P1", canSendMessage: "LIMITED", errors: [expect.objectContaining({ code: expect.any(Number) })] });
  });

  it("debugToken reports validity, expiry and scopes", async () => {
    const expiry = new Date("2030-06-01T00:00:00Z");
    sim.control.setTokenExpiry(TOKEN, expiry);
    expect(await client.debugToken({ inputToken: TOKEN, appToken: APP_TOKEN })).toMatchObject({
      isValid: true,
      expiresAt: expiry,
      scopes: expect.arrayContaining(["whatsapp_business_messaging", "whatsapp_business_management"]),
      appId: "987654321098765",
    });
    expect((await client.debugToken({ inputToken: "never-expires", appToken: APP_TOKEN })).expiresAt).toBeNull();
    sim.control.setTokenInvalid("revoked", 190, 460);
    expect(await client.debugToken({ inputToken: "revoked", appToken: APP_TOKEN })).toMatchObject({ isValid: false, errorCode: 190, errorSubcode: 460 });
  });

  it("sendTextMessage returns the wamid and sends Graph's text payload", async () => {
    const { wamid, waId } = await client.sendTextMessage({ token: TOKEN, phoneNumberId: "P1", to: "+15550102030", body: "Hi 👋", replyToWamid: "wamid.PREV" });
    expect(wamid).toMatch(/^wamid\./);
    expect(waId).toBe("15550102030");
    const [sent] = sim.control.sentMessages();
    expect(sent).toMatchObject({ wamid, phoneNumberId: "P1", text: "Hi 👋", replyTo: "wamid.PREV" });
    expect(sent?.payload).toMatchObject({ messaging_product: "whatsapp", recipient_type: "individual", to: "+15550102030", type: "text" });
  });

  it("lists, subscribes and unsubscribes the app on a WABA", async () => {
    expect(await client.listSubscribedApps({ token: TOKEN, wabaId: "W1" })).toEqual([{ appId: "987654321098765", name: "WhaTrack Simulator" }]);
    await client.unsubscribeApp({ token: TOKEN, wabaId: "W1" });
    expect(await client.listSubscribedApps({ token: TOKEN, wabaId: "W1" })).toEqual([]);
    await client.subscribeApp({ token: TOKEN, wabaId: "W1" });
    expect(await client.listSubscribedApps({ token: TOKEN, wabaId: "W1" })).toHaveLength(1);
  });

  it("getMedia returns a download URL and metadata", async () => {
    const m = await client.getMedia({ token: TOKEN, mediaId: "24681357" });
    expect(m).toMatchObject({ id: "24681357", url: expect.stringContaining("/media/download/24681357"), mimeType: expect.any(String), fileSize: expect.any(Number) });
  });

  it("listMessageTemplates follows every page and reads each template's fields", async () => {
    const many = Array.from({ length: 205 }, (_, i) => ({
      id: String(700_000_000_000_000 + i),
      name: `t${String(i).padStart(3, "0")}`,
      language: "en_US",
      status: i === 0 ? "REJECTED" : "APPROVED",
      category: "UTILITY",
      components: [{ type: "BODY", text: "hi" }],
      quality_score: { score: "YELLOW", date: 1_700_000_000 },
      rejected_reason: i === 0 ? "INVALID_FORMAT" : "NONE",
    }));
    sim.control.setTemplates("W-pages", many);
    const list = await client.listMessageTemplates({ token: TOKEN, wabaId: "W-pages" });
    expect(list).toHaveLength(205);
    expect(new Set(list.map((t) => t.id)).size).toBe(205);
    expect(list[0]).toEqual({ id: "700000000000000", name: "t000", language: "en_US", status: "REJECTED", category: "UTILITY", components: [{ type: "BODY", text: "hi" }], qualityScore: "YELLOW", rejectedReason: "INVALID_FORMAT" });
    expect(list[1]!.rejectedReason).toBeNull();
    expect(sim.control.requests().filter((r) => r.endpoint === "GET /{waba-id}/message_templates")).toHaveLength(3);
  });

  it("uploadMedia sends the file as multipart and answers Meta's id", async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const { id } = await client.uploadMedia({ token: TOKEN, phoneNumberId: "106540352242922", file: new Blob([bytes]), filename: "a.png", mimeType: "image/png" });
    expect(sim.control.uploadedMedia()).toEqual([{ id, phoneNumberId: "106540352242922", type: "image/png", mimeType: "image/png", filename: "a.png", size: 7, sha256: expect.any(String) }]);
  });
});

describe("errors", () => {
  it("190 (expired token) → auth, not retryable, with Graph's details", async () => {
    sim.control.setTokenExpiry(TOKEN, new Date(Date.now() - 1000));
    const err = await failure(client.getPhoneNumber({ token: TOKEN, phoneNumberId: "P1" }));
    expect(err).toMatchObject({ kind: "auth", retryable: false, code: 190, subcode: 463, httpStatus: 401, fbtraceId: expect.any(String) });
  });

  it("130429 → throttled, retryable", async () => {
    sim.control.script({ pathPattern: "/messages$", error: { code: 130429 }, times: 1 });
    const err = await failure(client.sendTextMessage({ token: TOKEN, phoneNumberId: "P1", to: "15550102030", body: "x" }));
    expect(err).toMatchObject({ kind: "throttled", retryable: true, code: 130429, httpStatus: 400, details: expect.stringContaining("too many messages") });
  });

  it("131047 → window_closed, not retryable", async () => {
    sim.control.script({ phoneNumberId: "P1", error: { code: 131047 } });
    const err = await failure(client.sendTextMessage({ token: TOKEN, phoneNumberId: "P1", to: "15550102030", body: "x" }));
    expect(err).toMatchObject({ kind: "window_closed", retryable: false, code: 131047, title: expect.stringContaining("Re-engagement") });
  });

  it("HTTP 500 → transient, retryable", async () => {
    sim.control.script({ error: { code: 131000, httpStatus: 500 }, times: 1 });
    sim.control.script({ response: { httpStatus: 503, body: "upstream unavailable" }, times: 1 });
    expect(await failure(client.listSubscribedApps({ token: TOKEN, wabaId: "W1" }))).toMatchObject({ kind: "transient", retryable: true, httpStatus: 500 });
    expect(await failure(client.listSubscribedApps({ token: TOKEN, wabaId: "W1" }))).toMatchObject({ kind: "transient", retryable: true, httpStatus: 503, code: null });
  });

  it("a timeout → transient with no code", async () => {
    sim.control.setLatency(TIMEOUT_MS + 300);
    const err = await failure(client.getPhoneNumber({ token: TOKEN, phoneNumberId: "P1" }));
    expect(err).toMatchObject({ kind: "transient", retryable: true, code: null, httpStatus: null });
    expect(err.message).toContain(`${TIMEOUT_MS} ms`);
  });

  it("a malformed 200 body → unknown", async () => {
    sim.control.script({ response: { body: "<html>not json</html>" }, times: 1 });
    sim.control.script({ response: { body: { messaging_product: "whatsapp", messages: [] } }, times: 1 });
    sim.control.script({ response: { body: { data: [{ whatsapp_business_api_data: { name: "no id" } }] } }, times: 1 });
    const send = () => client.sendTextMessage({ token: TOKEN, phoneNumberId: "P1", to: "15550102030", body: "x" });
    expect(await failure(send())).toMatchObject({ kind: "unknown", retryable: false, httpStatus: 200 });
    expect(await failure(send())).toMatchObject({ kind: "unknown", message: expect.stringContaining("messages") });
    expect(await failure(client.listSubscribedApps({ token: TOKEN, wabaId: "W1" }))).toMatchObject({ kind: "unknown" });
  });

  it("a refused connection → transient with no code", async () => {
    // A port that was just free: nothing listens there now.
    const gone = await startGraphSimulator();
    await gone.close();
    vi.stubEnv("GRAPH_API_BASE_URL", gone.url);
    vi.resetModules();
    const offline: Client = await import("@/lib/whatsapp/graph-client");
    const offlineErrors: ErrorModule = await import("@/lib/whatsapp/graph-error");
    const err = await offline.getPhoneNumber({ token: TOKEN, phoneNumberId: "P1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(offlineErrors.GraphError);
    expect(err).toMatchObject({ kind: "transient", retryable: true, code: null, httpStatus: null, message: expect.stringContaining("ECONNREFUSED") });
    vi.stubEnv("GRAPH_API_BASE_URL", sim.url);
  });
});

describe("secrets", () => {
  it("sends the token only as a Bearer header and never logs it", async () => {
    const debug = vi.spyOn(logger, "debug");
    sim.control.script({ pathPattern: "/messages$", error: { code: 190, message: `Malformed access token ${TOKEN}` }, times: 1 });
    const err = await failure(client.sendTextMessage({ token: TOKEN, phoneNumberId: "P1", to: "15550102030", body: "x" }));
    await client.debugToken({ inputToken: TOKEN, appToken: APP_TOKEN });
    await client.getPhoneNumber({ token: TOKEN, phoneNumberId: "P1" });

    expect(err.message).not.toContain(TOKEN);
    expect(err.title ?? "").not.toContain(TOKEN);
    expect(debug).toHaveBeenCalledTimes(3);
    const logged = JSON.stringify(debug.mock.calls);
    for (const secret of [TOKEN, "app-secret-value", "input_token"]) expect(logged).not.toContain(secret);
    expect(debug.mock.calls[1]?.[0]).toMatchObject({ graph: { method: "GET", path: "/debug_token", status: 200, latencyMs: expect.any(Number) } });
    // The simulator saw no token in a query string either (only debug_token's input_token, which Meta requires).
    expect(JSON.stringify(sim.control.requests())).not.toContain(TOKEN);
  });
});
