import { z } from "zod";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { GraphError } from "@/lib/whatsapp/graph-error";

// The calls WhaTrack makes to Meta's Graph API. Each function takes the token it should use (tenants bring
// their own), sends it only as a Bearer header, parses the answer with zod and returns a plain typed result.
// Every failure is a GraphError whose `kind` says whether to retry, back off, or stop.

type HttpMethod = "GET" | "POST" | "DELETE";

interface GraphCall<S extends z.ZodType> {
  method: HttpMethod;
  /** Path under the version, without query: `/123/messages`. Only this reaches the logs. */
  path: string;
  token: string;
  query?: Record<string, string>;
  body?: unknown;
  /** A multipart body instead of JSON (media upload); fetch sets its Content-Type with the boundary. */
  form?: FormData;
  /** Overrides GRAPH_API_TIMEOUT_MS: an upload of many megabytes needs longer than a lookup. */
  timeoutMs?: number;
  schema: S;
}

/** One path segment from an id, so an id can never add segments or a query to the URL. */
function seg(name: string, id: string): string {
  if (id.trim() === "") throw new TypeError(`${name} must not be empty`);
  return encodeURIComponent(id);
}

function graphUrl(path: string, query: Record<string, string> | undefined): URL {
  const base = env.GRAPH_API_BASE_URL.replace(/\/+$/, "");
  const url = new URL(`${base}/${env.GRAPH_API_VERSION}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toResult<S extends z.ZodType>(status: number, text: string, schema: S): z.output<S> {
  const json = parseJson(text);
  const claimsError = typeof json === "object" && json !== null && "error" in json;
  if (status < 200 || status >= 300 || claimsError) throw GraphError.fromResponse(status, json);
  if (json === undefined) throw GraphError.unexpectedBody(status, "not JSON");
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // Paths and messages only: values could be personal data.
    const problem = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw GraphError.unexpectedBody(status, problem);
  }
  return parsed.data;
}

function toGraphError(err: unknown, timeoutMs: number): GraphError {
  if (err instanceof GraphError) return err;
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError, during connect or body read.
  if (err instanceof Error && err.name === "TimeoutError") return GraphError.timeout(timeoutMs);
  return GraphError.network(err);
}

async function graphRequest<S extends z.ZodType>(call: GraphCall<S>): Promise<z.output<S>> {
  const started = performance.now();
  let status: number | null = null;
  let failure: GraphError | null = null;
  const timeoutMs = call.timeoutMs ?? env.GRAPH_API_TIMEOUT_MS;
  try {
    const res = await fetch(graphUrl(call.path, call.query), {
      method: call.method,
      headers: {
        Authorization: `Bearer ${call.token}`,
        Accept: "application/json",
        ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: call.form ?? (call.body !== undefined ? JSON.stringify(call.body) : undefined),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    return toResult(res.status, await res.text(), call.schema);
  } catch (err) {
    failure = toGraphError(err, timeoutMs);
    throw failure;
  } finally {
    const latencyMs = Math.round(performance.now() - started);
    const outcome = failure ? { kind: failure.kind, code: failure.code, fbtraceId: failure.fbtraceId } : {};
    logger.debug({ graph: { method: call.method, path: call.path, status, latencyMs, ...outcome } }, "graph api call");
  }
}

// ---------------------------------------------------------------------------------------------- phone numbers

// Status-like fields stay plain strings: Meta adds values over time, and a new value must not break health checks.
const phoneNumberSchema = z.object({
  id: z.string(),
  status: z.string().optional(),
  quality_rating: z.string().optional(),
  name_status: z.string().optional(),
  code_verification_status: z.string().optional(),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  throughput: z.object({ level: z.string() }).optional().catch(undefined),
  // Documented as a tier string (TIER_250, TIER_2K, …); tolerate other shapes rather than fail the whole read.
  whatsapp_business_manager_messaging_limit: z.string().optional().catch(undefined),
});

// The fields we ask for are exactly the ones we parse (`id` always comes back).
const PHONE_NUMBER_FIELDS = Object.keys(phoneNumberSchema.shape).filter((k) => k !== "id").join(",");

export interface PhoneNumberInfo {
  id: string;
  status: string | null;
  qualityRating: string | null;
  nameStatus: string | null;
  codeVerificationStatus: string | null;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  throughputLevel: string | null;
  messagingLimit: string | null;
}

export async function getPhoneNumber({ token, phoneNumberId }: { token: string; phoneNumberId: string }): Promise<PhoneNumberInfo> {
  const path = `/${seg("phoneNumberId", phoneNumberId)}`;
  const p = await graphRequest({ method: "GET", path, token, query: { fields: PHONE_NUMBER_FIELDS }, schema: phoneNumberSchema });
  return {
    id: p.id,
    status: p.status ?? null,
    qualityRating: p.quality_rating ?? null,
    nameStatus: p.name_status ?? null,
    codeVerificationStatus: p.code_verification_status ?? null,
    displayPhoneNumber: p.display_phone_number ?? null,
    verifiedName: p.verified_name ?? null,
    throughputLevel: p.throughput?.level ?? null,
    messagingLimit: p.whatsapp_business_manager_messaging_limit ?? null,
  };
}

const phoneNumbersPageSchema = z.object({
  data: z.array(z.object({ id: z.string(), display_phone_number: z.string().optional(), verified_name: z.string().optional() })),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});

// A WABA has a handful of numbers, rarely thousands: 20 pages of 100 is the most a connect waits for.
const PHONE_NUMBERS_PAGE = 100;
const PHONE_NUMBERS_MAX_PAGES = 20;

/**
 * `GET /{waba-id}/phone_numbers`: the numbers in a WhatsApp Business Account, every page. Pages are followed
 * by their `after` cursor on our own base URL, not by `paging.next` (Meta's URL, with the token in its query).
 */
export async function listPhoneNumbers({ token, wabaId }: { token: string; wabaId: string }): Promise<Array<{ id: string; displayPhoneNumber: string | null; verifiedName: string | null }>> {
  const path = `/${seg("wabaId", wabaId)}/phone_numbers`;
  const numbers: Array<{ id: string; displayPhoneNumber: string | null; verifiedName: string | null }> = [];
  let after: string | undefined;
  for (let page = 0; page < PHONE_NUMBERS_MAX_PAGES; page++) {
    const query = { fields: "id,display_phone_number,verified_name", limit: String(PHONE_NUMBERS_PAGE), ...(after ? { after } : {}) };
    const res = await graphRequest({ method: "GET", path, token, query, schema: phoneNumbersPageSchema });
    numbers.push(...res.data.map((n) => ({ id: n.id, displayPhoneNumber: n.display_phone_number ?? null, verifiedName: n.verified_name ?? null })));
    after = res.paging?.next ? res.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return numbers;
}

const healthEntitySchema = z.object({
  entity_type: z.string(),
  id: z.string(),
  can_send_message: z.string(),
  errors: z
    .array(z.object({ error_code: z.number().optional(), error_description: z.string().optional(), possible_solution: z.string().optional() }))
    .optional(),
});

const healthSchema = z.object({
  health_status: z.object({ can_send_message: z.string(), entities: z.array(healthEntitySchema).default([]) }),
});

export interface HealthStatus {
  /** AVAILABLE, LIMITED or BLOCKED: the worst over every entity on the send path. */
  canSendMessage: string;
  entities: Array<{
    entityType: string;
    id: string;
    canSendMessage: string;
    errors: Array<{ code: number | null; description: string | null; possibleSolution: string | null }>;
  }>;
}

/** `GET /{node}?fields=health_status` for a phone number, WABA or app id. */
export async function getHealthStatus({ token, nodeId }: { token: string; nodeId: string }): Promise<HealthStatus> {
  const path = `/${seg("nodeId", nodeId)}`;
  const { health_status: h } = await graphRequest({ method: "GET", path, token, query: { fields: "health_status" }, schema: healthSchema });
  return {
    canSendMessage: h.can_send_message,
    entities: h.entities.map((e) => ({
      entityType: e.entity_type,
      id: e.id,
      canSendMessage: e.can_send_message,
      errors: (e.errors ?? []).map((x) => ({ code: x.error_code ?? null, description: x.error_description ?? null, possibleSolution: x.possible_solution ?? null })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------- tokens

const debugTokenSchema = z.object({
  data: z.object({
    is_valid: z.boolean(),
    app_id: z.string().optional(),
    type: z.string().optional(),
    expires_at: z.number().optional(),
    scopes: z.array(z.string()).default([]),
    granular_scopes: z.array(z.object({ scope: z.string(), target_ids: z.array(z.string()).optional() })).default([]),
    error: z.object({ code: z.number().optional(), subcode: z.number().optional() }).optional(),
  }),
});

export interface TokenInfo {
  isValid: boolean;
  /** null when the token never expires (system-user tokens report expires_at 0). */
  expiresAt: Date | null;
  scopes: string[];
  /** Which WABA/business ids each scope covers: the way to tell a token can reach a given WABA. */
  granularScopes: Array<{ scope: string; targetIds: string[] }>;
  appId: string | null;
  type: string | null;
  errorCode: number | null;
  errorSubcode: number | null;
}

/** The app token Meta expects for debug_token, or null when the app id or secret is not configured. */
export function appAccessToken(): string | null {
  return env.META_APP_ID && env.WHATSAPP_APP_SECRET ? `${env.META_APP_ID}|${env.WHATSAPP_APP_SECRET}` : null;
}

/**
 * `GET /debug_token`. Meta requires the inspected token in the query string (`input_token`): the path we log
 * carries no query, and GraphError messages are scrubbed, so it never reaches a log line.
 */
export async function debugToken({ inputToken, appToken }: { inputToken: string; appToken: string }): Promise<TokenInfo> {
  const query = { input_token: inputToken };
  const { data: d } = await graphRequest({ method: "GET", path: "/debug_token", token: appToken, query, schema: debugTokenSchema });
  return {
    isValid: d.is_valid,
    expiresAt: d.expires_at ? new Date(d.expires_at * 1000) : null,
    scopes: d.scopes,
    granularScopes: d.granular_scopes.map((g) => ({ scope: g.scope, targetIds: g.target_ids ?? [] })),
    appId: d.app_id ?? null,
    type: d.type ?? null,
    errorCode: d.error?.code ?? null,
    errorSubcode: d.error?.subcode ?? null,
  };
}

// -------------------------------------------------------------------------------------------------- messages

const sentMessageSchema = z.object({ id: z.string().min(1) });
const sendSchema = z.object({
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })).optional(),
  // A tuple with a rest element: at least one message, and typed so.
  messages: z.tuple([sentMessageSchema], sentMessageSchema),
});

export interface SendInput {
  token: string;
  phoneNumberId: string;
  /** Recipient phone number or WhatsApp id, digits with optional leading +. */
  to: string;
  body: string;
  /** Quote this earlier message (shown as a reply in WhatsApp). */
  replyToWamid?: string;
}

export interface SendMessageInput {
  token: string;
  phoneNumberId: string;
  /** Recipient phone number or WhatsApp id, digits with optional leading +. */
  to: string;
  /** text | template | image | document | audio | video | … */
  type: string;
  /** The type's object as Graph takes it: `{ body }`, `{ name, language, components }`, `{ id | link, caption? }`. */
  content: unknown;
  /** Quote this earlier message (shown as a reply in WhatsApp). */
  replyToWamid?: string | null;
}

/** `POST /{phone-number-id}/messages`: any message type; the wamid Graph assigned. */
export async function sendMessage(input: SendMessageInput): Promise<{ wamid: string; waId: string | null }> {
  const res = await graphRequest({
    method: "POST",
    path: `/${seg("phoneNumberId", input.phoneNumberId)}/messages`,
    token: input.token,
    body: {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: input.to,
      type: input.type,
      [input.type]: input.content,
      ...(input.replyToWamid ? { context: { message_id: input.replyToWamid } } : {}),
    },
    schema: sendSchema,
  });
  return { wamid: res.messages[0].id, waId: res.contacts?.[0]?.wa_id ?? null };
}

export async function sendTextMessage(input: SendInput): Promise<{ wamid: string; waId: string | null }> {
  return sendMessage({ token: input.token, phoneNumberId: input.phoneNumberId, to: input.to, type: "text", content: { body: input.body, preview_url: false }, replyToWamid: input.replyToWamid });
}

// ----------------------------------------------------------------------------------- webhook subscriptions

const subscribedAppsSchema = z.object({
  data: z.array(
    z.object({ whatsapp_business_api_data: z.object({ id: z.string(), name: z.string().optional(), link: z.string().optional() }) }),
  ),
});

// `success: false` is not a shape Meta documents; treating it as an unexpected body makes "not confirmed" loud.
const successSchema = z.object({ success: z.literal(true) });

/** Apps subscribed to a WABA's webhooks. An empty list means Meta delivers nothing. */
export async function listSubscribedApps({ token, wabaId }: { token: string; wabaId: string }): Promise<Array<{ appId: string; name: string | null }>> {
  const res = await graphRequest({ method: "GET", path: `/${seg("wabaId", wabaId)}/subscribed_apps`, token, schema: subscribedAppsSchema });
  return res.data.map((a) => ({ appId: a.whatsapp_business_api_data.id, name: a.whatsapp_business_api_data.name ?? null }));
}

export async function subscribeApp({ token, wabaId }: { token: string; wabaId: string }): Promise<void> {
  await graphRequest({ method: "POST", path: `/${seg("wabaId", wabaId)}/subscribed_apps`, token, schema: successSchema });
}

export async function unsubscribeApp({ token, wabaId }: { token: string; wabaId: string }): Promise<void> {
  await graphRequest({ method: "DELETE", path: `/${seg("wabaId", wabaId)}/subscribed_apps`, token, schema: successSchema });
}

// ----------------------------------------------------------------------------------------------------- media

const mediaSchema = z.object({
  id: z.string(),
  url: z.url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  // Documented as a number, seen as a numeric string.
  file_size: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

export interface MediaInfo {
  id: string;
  /** Short-lived (minutes) and needs the same Bearer token to download. */
  url: string;
  mimeType: string;
  sha256: string | null;
  fileSize: number | null;
}

export async function getMedia({ token, mediaId, phoneNumberId }: { token: string; mediaId: string; phoneNumberId?: string }): Promise<MediaInfo> {
  const path = `/${seg("mediaId", mediaId)}`;
  // phone_number_id asks Meta to check that the media belongs to this number.
  const query = phoneNumberId ? { phone_number_id: phoneNumberId } : undefined;
  const m = await graphRequest({ method: "GET", path, token, query, schema: mediaSchema });
  return { id: m.id, url: m.url, mimeType: m.mime_type, sha256: m.sha256 ?? null, fileSize: m.file_size ?? null };
}

const uploadedSchema = z.object({ id: z.string().min(1) });

// Bytes per second an upload is allowed at least, on top of the usual timeout: 100 MB at 1 MB/s is 100 s.
const UPLOAD_MIN_BYTES_PER_SECOND = 1_000_000;

/** `POST /{phone-number-id}/media` (multipart): Meta keeps the file 30 days; the id is what a send names. */
export async function uploadMedia(input: { token: string; phoneNumberId: string; file: Blob; filename: string; mimeType: string }): Promise<{ id: string }> {
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", input.mimeType);
  form.set("file", new Blob([input.file], { type: input.mimeType }), input.filename);
  const res = await graphRequest({
    method: "POST",
    path: `/${seg("phoneNumberId", input.phoneNumberId)}/media`,
    token: input.token,
    form,
    timeoutMs: env.GRAPH_API_TIMEOUT_MS + Math.ceil((input.file.size / UPLOAD_MIN_BYTES_PER_SECOND) * 1000),
    schema: uploadedSchema,
  });
  return { id: res.id };
}

// ------------------------------------------------------------------------------------------------- templates

const templateSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  language: z.string().min(1),
  // Status and category stay plain strings: Meta adds values (LIMIT_EXCEEDED, ARCHIVED…) over time.
  status: z.string().min(1),
  category: z.string().optional(),
  components: z.array(z.unknown()).default([]),
  // Meta documents { score, date }; tolerate other shapes rather than fail the whole list.
  quality_score: z.object({ score: z.string() }).loose().optional().catch(undefined),
  rejected_reason: z.string().optional(),
});

const templatesPageSchema = z.object({
  data: z.array(templateSchema),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});

const TEMPLATE_FIELDS = "name,language,status,category,components,id,quality_score,rejected_reason";
const TEMPLATES_PAGE = 100;
// Meta caps a WABA at a few thousand templates (250 unverified, 6,000 verified): 100 pages cover them.
const TEMPLATES_MAX_PAGES = 100;

export interface TemplateInfo {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string | null;
  components: unknown[];
  qualityScore: string | null;
  rejectedReason: string | null;
}

/**
 * `GET /{waba-id}/message_templates`: every template of a WABA, all pages. Like listPhoneNumbers, pages are
 * followed while Meta gives a `paging.next`, by its `after` cursor on our own base URL (Meta's `next` URL
 * carries the token in its query). Throws if a page fails: a partial list must not be taken for the whole.
 */
export async function listMessageTemplates({ token, wabaId }: { token: string; wabaId: string }): Promise<TemplateInfo[]> {
  const path = `/${seg("wabaId", wabaId)}/message_templates`;
  const templates: TemplateInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < TEMPLATES_MAX_PAGES; page++) {
    const query = { fields: TEMPLATE_FIELDS, limit: String(TEMPLATES_PAGE), ...(after ? { after } : {}) };
    const res = await graphRequest({ method: "GET", path, token, query, schema: templatesPageSchema });
    templates.push(
      ...res.data.map((t) => ({
        id: t.id,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category ?? null,
        components: t.components,
        qualityScore: t.quality_score?.score ?? null,
        // Meta answers "NONE" for a template that was never rejected.
        rejectedReason: t.rejected_reason && t.rejected_reason !== "NONE" ? t.rejected_reason : null,
      })),
    );
    after = res.paging?.next ? res.paging.cursors?.after : undefined;
    if (!after) return templates;
  }
  throw GraphError.unexpectedBody(200, `more than ${TEMPLATES_MAX_PAGES} pages of templates`);
}
