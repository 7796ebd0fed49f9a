import { z } from "zod";
import { API_OPERATIONS, type ApiOperation, type Auth } from "@/lib/openapi/api-operations";

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  session: [{ session: [] }],
  admin: [{ adminToken: [] }, { session: [] }],
  cron: [{ cronBearer: [] }, { cronHeader: [] }],
  meta: [{ metaSignature: [] }],
  none: [],
};

const errorSchema = { type: "object", properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } }, required: ["code", "message"] } } };

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

function operation(op: ApiOperation) {
  const status = String(op.status ?? 200);
  return {
    summary: op.summary,
    tags: [op.tag],
    security: SECURITY[op.auth],
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } } : {}),
    responses: {
      [status]: { description: "OK", ...(op.response ? { content: { "application/json": { schema: jsonSchema(op.response, "output") } } } : {}) },
      default: { description: "Error", content: { "application/json": { schema: errorSchema } } },
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
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "whatrack_session" },
        adminToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "system:manage; `npm run whatrack -- admin:token`" },
        cronBearer: { type: "http", scheme: "bearer", description: "CRON_SECRET (what Vercel Cron sends)" },
        cronHeader: { type: "apiKey", in: "header", name: "x-cron-secret" },
        metaSignature: { type: "apiKey", in: "header", name: "X-Hub-Signature-256" },
      },
    },
  };
}
