import { z } from "zod";
import { errorEnvelopeSchema, successEnvelope } from "@/lib/http/envelope";
import { API_OPERATIONS, type ApiOperation, type Auth } from "@/lib/openapi/api-operations";

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  session: [{ session: [] }],
  "session-or-key": [{ apiKey: [] }, { session: [] }],
  admin: [{ adminToken: [] }, { session: [] }],
  cron: [{ cronBearer: [] }, { cronHeader: [] }],
  meta: [{ metaSignature: [] }],
  metrics: [{ metricsBearer: [] }],
  none: [],
};

const ERROR_REF = { $ref: "#/components/schemas/Error" };

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" });
}

function parameters(op: ApiOperation) {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
  if (!op.query) return path;
  const query = jsonSchema(op.query, "input") as { properties?: Record<string, object>; required?: string[] };
  return [
    ...path,
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: query.required?.includes(name) ?? false, schema })),
  ];
}

function success(op: ApiOperation) {
  if (op.exception === "text") return { description: "The challenge, as text/plain", content: { "text/plain": { schema: { type: "string" } } } };
  if (op.exception === "metrics") return { description: "Prometheus text exposition format", content: { "text/plain": { schema: { type: "string" } } } };
  if (op.exception === "probe") return { description: "Ready (its own body, not the envelope; 503 when the database or the lock store is down)" };
  if (!op.response) throw new Error(`${op.method.toUpperCase()} ${op.path} has neither a response schema nor an exception`);
  return { description: "OK", content: { "application/json": { schema: jsonSchema(successEnvelope(op.response), "output") } } };
}

function withoutDialect(schema: Record<string, unknown>) {
  const property = { ...schema };
  delete property.$schema;
  return property;
}

/** A multipart file part has no JSON type: zod's Blob becomes OpenAPI's binary string. */
function requestSchema(op: ApiOperation) {
  if (op.bodyType !== "multipart" || !(op.body instanceof z.ZodObject)) return jsonSchema(op.body!, "input");
  const properties = Object.fromEntries(
    Object.entries(op.body.shape).map(([name, field]) =>
      field instanceof z.ZodCustom ? [name, { type: "string", format: "binary", description: field.description }] : [name, withoutDialect(jsonSchema(field as z.ZodType, "input"))],
    ),
  );
  return { type: "object", required: Object.keys(properties), properties };
}

function operation(op: ApiOperation) {
  const status = String(op.status ?? 200);
  return {
    summary: op.summary,
    tags: [op.tag],
    security: SECURITY[op.auth],
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { [op.bodyType === "multipart" ? "multipart/form-data" : "application/json"]: { schema: requestSchema(op) } } } } : {}),
    responses: {
      [status]: success(op),
      default: { description: "Error: the code fixes the HTTP status", content: { "application/json": { schema: ERROR_REF } } },
    },
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the same zod schemas the routes use. */
export function buildOpenApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: { title: "WhaTrack API", version: "1.0.0", description: "Operations hub for the WhatsApp Business Cloud API." },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: { Error: jsonSchema(errorEnvelopeSchema, "output") },
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "whatrack_session" },
        apiKey: { type: "http", scheme: "bearer", description: "A workspace API key (wt_…), created in the settings" },
        adminToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "system:manage; `npm run whatrack -- admin:token`" },
        cronBearer: { type: "http", scheme: "bearer", description: "CRON_SECRET (what Vercel Cron sends)" },
        cronHeader: { type: "apiKey", in: "header", name: "x-cron-secret" },
        metaSignature: { type: "apiKey", in: "header", name: "X-Hub-Signature-256" },
        metricsBearer: { type: "http", scheme: "bearer", description: "METRICS_TOKEN" },
      },
    },
  };
}
