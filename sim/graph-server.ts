import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { handleControl } from "@/sim/graph-control-http";
import { graphErrorBody, httpStatusFor, type ErrorSpec } from "@/sim/graph-error-body";
import { healthBody, mediaBody, mediaContent, phoneNumberBody } from "@/sim/graph-fixtures";
import { SimulatorState, type RecordedRequest, type SimulatorControl } from "@/sim/graph-state";
import { digitsOf, newNumericId, newWamid } from "@/sim/ids";

// A fake Graph API on node:http: the endpoints WhaTrack calls (see /work/shared/META.md), any `/vNN.N/`
// version prefix, Graph-shaped errors, and a control surface (`control` in-process, `/__sim/` over HTTP).
// Any non-empty Bearer token is valid unless scripted otherwise, and any id answers with made-up details.
// A WABA's `phone_numbers` lists the numbers set to it (setNumber with a wabaId) and every number seen
// without one, so a test connects any number to any WABA unless it says otherwise.

export interface GraphSimulatorOptions {
  port?: number;
  host?: string;
  latencyMs?: number;
  /** The app id reported by debug_token and subscribed_apps. */
  appId?: string;
  /** When set, debug_token accepts only the app token `{appId}|{appSecret}`. */
  appSecret?: string;
  /** Whether a WABA nobody has touched counts as subscribed (default true, so benches need no setup). */
  defaultSubscribed?: boolean;
  /** Cap on recorded requests and sent messages kept for inspection (oldest dropped). */
  maxRecorded?: number;
}

export interface GraphSimulator {
  url: string;
  close(): Promise<void>;
  control: SimulatorControl;
}

interface Context {
  state: SimulatorState;
  appId: string;
  appSecret: string | undefined;
  baseUrl: string;
}

type Kind =
  | "debug_token"
  | "health"
  | "phone_number"
  | "phone_numbers"
  | "media"
  | "media_download"
  | "media_upload"
  | "messages"
  | "message_templates"
  | "subscribed_apps"
  | "unknown";

interface Route {
  kind: Kind;
  endpoint: string;
  method: string;
  /** Path without version prefix and query: what scripts match and requests() records. */
  path: string;
  id?: string;
  fields: string[];
}

interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  /** Send a string body as is rather than as a JSON string. */
  raw?: boolean;
}

// Above Meta's largest media (100 MB documents), so an upload test reaches the endpoint's own checks.
const MAX_BODY_BYTES = 110 * 1024 * 1024;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function resolveRoute(method: string, url: URL): Route {
  const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/|$)/, "") || "/";
  const segments = path.split("/").filter(Boolean).map(safeDecode);
  const fields = (url.searchParams.get("fields") ?? "").split(",").map((f) => f.trim()).filter(Boolean);
  const route = (kind: Kind, endpoint: string, id?: string): Route => ({ kind, endpoint: `${method} ${endpoint}`, method, path, id, fields });

  if (segments.length === 1 && segments[0] === "debug_token" && method === "GET") return route("debug_token", "/debug_token");
  if (segments.length === 1 && method === "GET") {
    // Graph tells these apart by the object's type; the simulator can only go by the fields asked for.
    if (fields.length === 1 && fields[0] === "health_status") return route("health", "/{node}?fields=health_status", segments[0]);
    if (fields.length > 0) return route("phone_number", "/{phone-number-id}", segments[0]);
    return route("media", "/{media-id}", segments[0]);
  }
  if (segments.length === 2 && segments[1] === "messages" && method === "POST") return route("messages", "/{phone-number-id}/messages", segments[0]);
  if (segments.length === 2 && segments[1] === "phone_numbers" && method === "GET") return route("phone_numbers", "/{waba-id}/phone_numbers", segments[0]);
  if (segments.length === 2 && segments[1] === "message_templates" && method === "GET") return route("message_templates", "/{waba-id}/message_templates", segments[0]);
  if (segments.length === 2 && segments[1] === "media" && method === "POST") return route("media_upload", "/{phone-number-id}/media", segments[0]);
  if (segments.length === 2 && segments[1] === "subscribed_apps" && ["GET", "POST", "DELETE"].includes(method)) {
    return route("subscribed_apps", "/{waba-id}/subscribed_apps", segments[0]);
  }
  if (segments.length === 3 && segments[0] === "media" && segments[1] === "download" && method === "GET") {
    return route("media_download", "/media/download/{media-id}", segments[2]);
  }
  return route("unknown", "(unknown)", segments[0]);
}

function bearerToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.*)$/i.exec(header);
  const token = match?.[1]?.trim() || url.searchParams.get("access_token")?.trim() || "";
  return token === "" ? null : token;
}

const fail = (spec: ErrorSpec): Reply => ({ status: httpStatusFor(spec), body: graphErrorBody(spec) });

/** Ids for scripts and the request log, by what the route's id stands for. */
function routeIds(route: Route): Pick<RecordedRequest, "phoneNumberId" | "wabaId" | "nodeId" | "mediaId"> {
  if (route.kind === "messages" || route.kind === "phone_number" || route.kind === "media_upload") return { phoneNumberId: route.id };
  if (route.kind === "health") return { nodeId: route.id, phoneNumberId: route.id };
  if (route.kind === "subscribed_apps" || route.kind === "phone_numbers" || route.kind === "message_templates") return { wabaId: route.id };
  if (route.kind === "media" || route.kind === "media_download") return { mediaId: route.id };
  return {};
}

function checkToken(ctx: Context, route: Route, token: string | null): Reply | null {
  if (route.kind === "debug_token") {
    // debug_token is called with the app token, `{app-id}|{app-secret}`.
    if (!token) return fail({ code: 190, message: "An access token is required to request this resource." });
    if (!token.includes("|")) return fail({ code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
    if (ctx.appSecret && token !== `${ctx.appId}|${ctx.appSecret}`) return fail({ code: 190, message: "Invalid OAuth access token signature." });
    return null;
  }
  if (!token) return fail({ code: 190, message: "An active access token must be used to query information about the current user." });
  const problem = ctx.state.tokenProblem(token, Date.now());
  if (!problem) return null;
  const message = problem.expiredAt
    ? `Error validating access token: Session has expired on ${problem.expiredAt.toUTCString()}. The current time is ${new Date().toUTCString()}.`
    : undefined;
  return fail({ code: problem.code, subcode: problem.subcode, message });
}

function debugTokenReply(ctx: Context, url: URL): Reply {
  const input = url.searchParams.get("input_token")?.trim();
  if (!input) return fail({ code: 100, message: "(#100) The parameter input_token is required" });
  const problem = ctx.state.tokenProblem(input, Date.now());
  const expiry = ctx.state.tokenExpiryOf(input);
  const data: Record<string, unknown> = {
    app_id: ctx.appId,
    type: "SYSTEM_USER",
    application: "WhaTrack Simulator",
    data_access_expires_at: 0,
    expires_at: expiry ? Math.floor(expiry.getTime() / 1000) : 0,
    is_valid: problem == null,
    scopes: problem ? [] : ["whatsapp_business_management", "whatsapp_business_messaging", "business_management"],
    granular_scopes: problem ? [] : [{ scope: "whatsapp_business_management" }, { scope: "whatsapp_business_messaging" }],
    user_id: "1000000000000001",
  };
  if (problem) data.error = { code: problem.code, subcode: problem.subcode, message: "Error validating access token." };
  return { status: 200, body: { data } };
}

const sendBody = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  to: z.string().min(1),
  type: z.string().default("text"),
  text: z.object({ body: z.string().min(1), preview_url: z.boolean().optional() }).optional(),
  context: z.object({ message_id: z.string().min(1) }).optional(),
});

/** `arrivedAt`: performance.now() when the request arrived — what a limit counts, before any simulated latency. */
function sendReply(ctx: Context, route: Route, rawBody: string, arrivedAt: number): Reply {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return fail({ code: 100, message: "(#100) Invalid parameter", details: "Request body is not JSON." });
  }
  const parsed = sendBody.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") || "body";
    return fail({ code: 100, message: `(#100) The parameter ${field} is required.` });
  }
  const msg = parsed.data;
  if (msg.type === "text" && !msg.text) return fail({ code: 100, message: "(#100) The parameter text['body'] is required." });
  const waId = digitsOf(msg.to);
  if (waId.length < 5) return fail({ code: 100, message: "(#100) Invalid parameter", details: "Invalid recipient phone number." });
  const wamid = newWamid(waId);
  ctx.state.recordSent({
    wamid,
    phoneNumberId: route.id ?? "",
    to: msg.to,
    waId,
    type: msg.type,
    text: msg.text?.body,
    replyTo: msg.context?.message_id,
    time: performance.timeOrigin + arrivedAt,
    payload: msg,
  });
  return { status: 200, body: { messaging_product: "whatsapp", contacts: [{ input: msg.to, wa_id: waId }], messages: [{ id: wamid }] } };
}

function subscribedAppsReply(ctx: Context, route: Route): Reply {
  const wabaId = route.id ?? "";
  if (route.method === "GET") {
    const app = { whatsapp_business_api_data: { id: ctx.appId, link: `https://www.facebook.com/games/?app_id=${ctx.appId}`, name: "WhaTrack Simulator" } };
    return { status: 200, body: { data: ctx.state.isSubscribed(wabaId) ? [app] : [] } };
  }
  ctx.state.setSubscribed(wabaId, route.method === "POST");
  return { status: 200, body: { success: true } };
}

// Graph's cursors are opaque; these encode an offset into the WABA's list.
const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");
function decodeCursor(cursor: string | null): number | null {
  if (cursor == null) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}

const PHONE_NUMBERS_DEFAULT_FIELDS = ["verified_name", "code_verification_status", "display_phone_number", "quality_rating"];

/** `GET /{waba-id}/phone_numbers`: a page of the WABA's numbers. */
function phoneNumbersReply(ctx: Context, route: Route, url: URL): Reply {
  const fields = route.fields.length > 0 ? route.fields : PHONE_NUMBERS_DEFAULT_FIELDS;
  return pageOf(ctx, url, ctx.state.wabaPhoneNumbers(route.id ?? ""), (id) => phoneNumberBody(id, ctx.state.numberDetails(id), fields));
}

/** A page of a list (`limit`, default 25, at most 100; `after`), with Graph's paging block. */
function pageOf<T>(ctx: Context, url: URL, all: T[], toBody: (item: T) => unknown): Reply {
  const offset = decodeCursor(url.searchParams.get("after"));
  if (offset === null) return fail({ code: 100, message: "(#100) Invalid parameter", details: "Invalid cursor." });
  const asked = Number(url.searchParams.get("limit") ?? 25);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, 100) : 25;
  const page = all.slice(offset, offset + limit);
  const data = page.map(toBody);
  if (page.length === 0) return { status: 200, body: { data } };
  const end = offset + page.length;
  // Meta's `next` also carries the access token; the simulator's leaves it out.
  const fields = url.searchParams.get("fields");
  const next = end < all.length ? `${ctx.baseUrl}${url.pathname}?limit=${limit}${fields ? `&fields=${encodeURIComponent(fields)}` : ""}&after=${encodeCursor(end)}` : undefined;
  return { status: 200, body: { data, paging: { cursors: { before: encodeCursor(offset), after: encodeCursor(end) }, ...(next ? { next } : {}) } } };
}

const TEMPLATE_DEFAULT_FIELDS = ["name", "language", "status", "category", "components", "id"];

/** `GET /{waba-id}/message_templates`: a page of the WABA's templates (setTemplates, or the default fixture). */
function templatesReply(ctx: Context, route: Route, url: URL): Reply {
  const fields = route.fields.length > 0 ? route.fields : TEMPLATE_DEFAULT_FIELDS;
  return pageOf(ctx, url, ctx.state.wabaTemplates(route.id ?? ""), (t) => {
    const all = t as unknown as Record<string, unknown>;
    const body: Record<string, unknown> = {};
    for (const field of fields) if (field in all) body[field] = all[field];
    body.id = t.id;
    return body;
  });
}

/** The parts of a multipart upload the media endpoint reads, parsed before answering. */
export interface UploadForm {
  messagingProduct: string | null;
  type: string | null;
  file: { name: string; type: string; bytes: Buffer } | null;
}

async function readUploadForm(req: IncomingMessage, body: Buffer): Promise<UploadForm | null> {
  const contentType = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) return null;
  try {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    const file = form.get("file");
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : null;
    };
    return {
      messagingProduct: text("messaging_product"),
      type: text("type"),
      file: file instanceof Blob ? { name: (file as File).name ?? "file", type: file.type, bytes: Buffer.from(await file.arrayBuffer()) } : null,
    };
  } catch {
    return null;
  }
}

/** `POST /{phone-number-id}/media`: Graph answers only the new id; the simulator records what it got. */
function mediaUploadReply(ctx: Context, route: Route, form: UploadForm | null): Reply {
  if (!form) return fail({ code: 100, message: "(#100) Invalid parameter", details: "The request must be multipart/form-data." });
  if (form.messagingProduct !== "whatsapp") return fail({ code: 100, message: "(#100) The parameter messaging_product is required." });
  if (!form.file) return fail({ code: 100, message: "(#100) The parameter file is required." });
  if (!form.type) return fail({ code: 100, message: "(#100) The parameter type is required." });
  const id = newNumericId(16);
  ctx.state.recordUpload({
    id,
    phoneNumberId: route.id ?? "",
    type: form.type,
    mimeType: form.file.type,
    filename: form.file.name,
    size: form.file.bytes.length,
    sha256: createHash("sha256").update(form.file.bytes).digest("hex"),
  });
  return { status: 200, body: { id } };
}

function routeReply(ctx: Context, route: Route, url: URL, rawBody: string, form: UploadForm | null, arrivedAt: number): Reply {
  const id = route.id ?? "";
  switch (route.kind) {
    case "debug_token":
      return debugTokenReply(ctx, url);
    case "health":
      return { status: 200, body: healthBody(id, ctx.state.numberDetails(id).canSendMessage, ctx.appId) };
    case "phone_number":
      return { status: 200, body: phoneNumberBody(id, ctx.state.numberDetails(id), route.fields) };
    case "phone_numbers":
      return phoneNumbersReply(ctx, route, url);
    case "media":
      return { status: 200, body: mediaBody(id, ctx.baseUrl) };
    case "media_download": {
      const { mimeType, bytes } = mediaContent(id);
      return { status: 200, body: bytes, contentType: mimeType };
    }
    case "messages":
      return sendReply(ctx, route, rawBody, arrivedAt);
    case "message_templates":
      return templatesReply(ctx, route, url);
    case "media_upload":
      return mediaUploadReply(ctx, route, form);
    case "subscribed_apps":
      return subscribedAppsReply(ctx, route);
    case "unknown":
      return fail({
        code: 100,
        subcode: 33,
        message: `Unsupported ${route.method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      });
  }
}

/** A send's `to`, digits only, for scripts that answer one recipient (undefined when the body has none). */
function recipientOf(rawBody: string): string | undefined {
  try {
    const to: unknown = (JSON.parse(rawBody) as { to?: unknown }).to;
    return typeof to === "string" ? digitsOf(to) : undefined;
  } catch {
    return undefined;
  }
}

/** Scripted errors first (tests can force anything), then auth, then the rate limit, then the endpoint. */
function answer(ctx: Context, route: Route, url: URL, token: string | null, rawBody: string, arrivedAt: number, form: UploadForm | null): Reply {
  const ids = routeIds(route);
  const scripted = ctx.state.takeScripted({ method: route.method, path: route.path, token, ...ids, ...(route.kind === "messages" ? { to: recipientOf(rawBody) } : {}) });
  if (scripted && "error" in scripted) return fail(scripted.error);
  if (scripted) return { status: scripted.response.httpStatus ?? 200, body: scripted.response.body, raw: typeof scripted.response.body === "string" };
  const authFailure = checkToken(ctx, route, token);
  if (authFailure) return authFailure;
  if (!ctx.state.admit(arrivedAt)) return fail({ code: route.kind === "messages" ? 130429 : 80007 });
  return routeReply(ctx, route, url, rawBody, form, arrivedAt);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = Buffer.isBuffer(reply.body) || (reply.raw && typeof reply.body === "string") ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { "Content-Type": reply.contentType ?? "application/json; charset=UTF-8" });
  res.end(payload);
}

async function handle(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://simulator.invalid");
  if (url.pathname.startsWith("/__sim/")) {
    send(res, handleControl(ctx.state, method, url.pathname, (await readBody(req)).toString("utf8"), url.search));
    return;
  }
  const route = resolveRoute(method, url);
  if ((route.kind === "phone_number" || route.kind === "messages") && route.id) ctx.state.noteNumber(route.id);
  const arrivedAt = performance.now();
  const time = Date.now();
  ctx.state.noteArrival(route.endpoint, arrivedAt);
  const body = await readBody(req);
  const form = route.kind === "media_upload" ? await readUploadForm(req, body) : null;
  if (ctx.state.latencyMs > 0) await sleep(ctx.state.latencyMs);
  const reply = answer(ctx, route, url, bearerToken(req, url), body.toString("utf8"), arrivedAt, form);
  const errorCode = reply.status >= 400 ? graphCodeOf(reply.body) : undefined;
  ctx.state.record({ method, path: route.path, endpoint: route.endpoint, time, status: reply.status, errorCode, ...routeIds(route) });
  send(res, reply);
}

function graphCodeOf(body: unknown): number | undefined {
  const parsed = z.object({ error: z.object({ code: z.number() }) }).safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}

function listeningPort(address: string | AddressInfo | null): number {
  if (address == null || typeof address === "string") throw new Error("simulator is not listening on a TCP port");
  return address.port;
}

// A wildcard listen address is not something a client can connect to.
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const state = new SimulatorState({
    latencyMs: options.latencyMs ?? 0,
    maxRecorded: options.maxRecorded ?? 100_000,
    defaultSubscribed: options.defaultSubscribed ?? true,
  });
  const ctx: Context = { state, appId: options.appId ?? "1234567890123456", appSecret: options.appSecret, baseUrl: "" };
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      send(res, { status: 500, body: graphErrorBody({ code: 1, details: err instanceof Error ? err.message : String(err) }) });
    });
  });
  // Benches open many keep-alive connections; let them stay open between bursts.
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  ctx.baseUrl = `http://${urlHost(host)}:${listeningPort(server.address())}`;
  return {
    url: ctx.baseUrl,
    control: state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
