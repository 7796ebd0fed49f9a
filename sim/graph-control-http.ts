import { z } from "zod";
import type { SimulatorState } from "@/sim/graph-state";

// The `/__sim/` HTTP control API: the same operations as `control`, for a simulator running as its own
// process (`npm run sim -- serve`) and scripted by tests, benches or the demo. See graph-control-client.ts.

export interface ControlReply {
  status: number;
  body: unknown;
}

const errorSpec = z.object({
  code: z.number().int(),
  subcode: z.number().int().optional(),
  httpStatus: z.number().int().min(400).max(599).optional(),
  message: z.string().optional(),
  details: z.string().optional(),
});

const scriptRule = z.object({
  method: z.string().optional(),
  pathPattern: z.string().optional(),
  token: z.string().optional(),
  phoneNumberId: z.string().optional(),
  wabaId: z.string().optional(),
  to: z.string().optional(),
  error: errorSpec.optional(),
  response: z.object({ httpStatus: z.number().int().min(100).max(599).optional(), body: z.unknown() }).optional(),
  times: z.number().int().positive().optional(),
});

const numberOverrides = z
  .object({
    status: z.string(),
    qualityRating: z.string(),
    nameStatus: z.string(),
    codeVerificationStatus: z.string(),
    displayPhoneNumber: z.string(),
    verifiedName: z.string(),
    throughputLevel: z.string(),
    messagingLimit: z.string(),
    canSendMessage: z.string(),
    wabaId: z.string().min(1).nullable(),
  })
  .partial();

const simTemplate = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.string().min(1),
  category: z.string(),
  components: z.array(z.unknown()),
  quality_score: z.object({ score: z.string(), date: z.number().optional() }).optional(),
  rejected_reason: z.string().optional(),
});

const ok = (body: unknown): ControlReply => ({ status: 200, body });
const bad = (message: string, status = 400): ControlReply => ({ status, body: { error: { message } } });

type Handler = (state: SimulatorState, json: unknown) => ControlReply;

/** Validates the body with `schema`, then runs the operation; a thrown error (bad regex) becomes a 400. */
function op<S extends z.ZodType>(schema: S, run: (state: SimulatorState, input: z.output<S>) => unknown): Handler {
  return (state, json) => {
    const parsed = schema.safeParse(json);
    if (!parsed.success) return bad(parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "));
    try {
      return ok(run(state, parsed.data) ?? { ok: true });
    } catch (err) {
      return bad(err instanceof Error ? err.message : String(err));
    }
  };
}

const operations: Record<string, Handler> = {
  script: op(scriptRule, (s, rule) => s.script(rule)),
  latency: op(z.object({ ms: z.number().min(0) }), (s, b) => s.setLatency(b.ms)),
  "token-invalid": op(
    z.object({ token: z.string().min(1), code: z.number().int().optional(), subcode: z.number().int().optional() }),
    (s, b) => s.setTokenInvalid(b.token, b.code, b.subcode),
  ),
  subscribed: op(z.object({ wabaId: z.string().min(1), subscribed: z.boolean() }), (s, b) => s.setSubscribed(b.wabaId, b.subscribed)),
  "token-expiry": op(
    z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }).nullable() }),
    (s, b) => s.setTokenExpiry(b.token, b.expiresAt ? new Date(b.expiresAt) : null),
  ),
  "rate-limit": op(z.object({ perSecond: z.number().positive().nullable() }), (s, b) => s.setRateLimit(b.perSecond)),
  number: op(z.object({ phoneNumberId: z.string().min(1), overrides: numberOverrides }), (s, b) => s.setNumber(b.phoneNumberId, b.overrides)),
  templates: op(z.object({ wabaId: z.string().min(1), templates: z.array(simTemplate).nullable() }), (s, b) => s.setTemplates(b.wabaId, b.templates)),
  reset: op(z.unknown(), (s) => s.reset()),
};

/** Handles `GET|POST /__sim/<operation>`. `rawBody` is the request body text (POST). */
export function handleControl(state: SimulatorState, method: string, path: string, rawBody: string, query = ""): ControlReply {
  const name = path.slice("/__sim/".length);
  if (method === "GET") {
    if (name === "requests") return ok(state.requests());
    if (name === "sent-messages") return ok(state.sentMessages());
    if (name === "uploaded-media") return ok(state.uploadedMedia());
    if (name === "stats") return ok(state.stats());
    if (name === "sends-per-second") return ok(state.sendsPerSecond(new URLSearchParams(query).get("phoneNumberId") ?? undefined));
    return bad(`unknown control endpoint GET ${path}`, 404);
  }
  const handler = Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (method !== "POST" || !handler) return bad(`unknown control endpoint ${method} ${path}`, 404);

  let json: unknown = {};
  if (rawBody.trim() !== "") {
    try {
      json = JSON.parse(rawBody);
    } catch {
      return bad("body is not JSON");
    }
  }
  return handler(state, json);
}
