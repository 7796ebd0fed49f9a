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

  it("carries request and response schemas from zod", () => {
    const connect = doc.paths["/api/v1/connections"]?.post as { requestBody: { content: { "application/json": { schema: { required: string[] } } } } };
    expect(connect.requestBody.content["application/json"].schema.required).toEqual(expect.arrayContaining(["wabaId", "phoneNumberId", "accessToken"]));
    const list = doc.paths["/api/v1/conversations"]?.get as { parameters: { name: string }[] };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["q", "cursor", "limit"]));
    expect(doc.openapi).toBe("3.1.0");
  });
});
