import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/openapi/build-openapi-document";

// Every route file under app/api is described, and the schemas convert: the document cannot silently
// miss a route or break on a schema change.
function routePaths(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routePaths(full, `${prefix}/${entry.replace(/^\[(\w+)\]$/, "{$1}")}`);
    return entry === "route.ts" ? [prefix] : [];
  });
}

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument("http://localhost:3000");

  it("describes every API route file", () => {
    const routes = routePaths(path.resolve("app/api")).map((p) => `/api${p}`).filter((p) => p !== "/api/v1/openapi.json" && p !== "/api/ping");
    expect(Object.keys(doc.paths).sort()).toEqual(expect.arrayContaining(routes.sort()));
    expect(routes.filter((r) => !(r in doc.paths))).toEqual([]);
  });

  it("describes every answer with the one envelope: success wraps the route's payload, errors share one schema", () => {
    type Schema = { properties?: Record<string, { const?: unknown }>; required?: string[] };
    type Op = { responses: Record<string, { content?: Record<string, { schema: Schema & { $ref?: string } }> }> };
    const operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op as Op] as const));
    expect(operations.length).toBeGreaterThan(35);
    const json = operations.flatMap(([name, op]) => Object.entries(op.responses).filter(([status]) => status !== "default").flatMap(([, r]) => (r.content?.["application/json"] ? [[name, r.content["application/json"].schema] as const] : [])));
    // Only Meta's handshake (text/plain), the health probe and the Prometheus scrape answer otherwise.
    expect(operations.length - json.length).toBe(3);
    for (const [name, schema] of json) {
      expect(schema.properties?.success, name).toEqual(expect.objectContaining({ const: true }));
      expect(schema.required, name).toEqual(expect.arrayContaining(["success", "data"]));
    }
    for (const [name, op] of operations) expect(op.responses.default?.content?.["application/json"]?.schema, name).toEqual({ $ref: "#/components/schemas/Error" });
    const error = doc.components.schemas.Error as unknown as Schema & { properties: { error: Schema } };
    expect(error.properties.success).toEqual(expect.objectContaining({ const: false }));
    expect(error.properties.error.required).toEqual(["code", "message"]);
  });

  it("carries request and response schemas from zod", () => {
    const connect = doc.paths["/api/v1/connections"]?.post as { requestBody: { content: { "application/json": { schema: { required: string[] } } } } };
    expect(connect.requestBody.content["application/json"].schema.required).toEqual(expect.arrayContaining(["wabaId", "phoneNumberId", "accessToken"]));
    const list = doc.paths["/api/v1/conversations"]?.get as { parameters: { name: string }[] };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["q", "cursor", "limit"]));
    expect(doc.openapi).toBe("3.1.0");
  });
});
