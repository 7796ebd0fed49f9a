import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

// The dashboard's one API helper against a real HTTP server answering what a route (or a proxy in front
// of it) might: the envelope, a drifted success, a page of HTML.
const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  "/ok": { status: 200, type: "application/json", body: JSON.stringify({ success: true, data: { id: "c1", name: "Desk" }, nextCursor: null, extra: 1 }) },
  "/drifted": { status: 200, type: "application/json", body: JSON.stringify({ success: true, data: { id: 7 } }) },
  "/error": { status: 409, type: "application/json", body: JSON.stringify({ success: false, error: { code: "conflict", message: "This number is held by another workspace" } }) },
  "/html": { status: 502, type: "text/html", body: "<html>Bad gateway</html>" },
};
const payload = dataOnly(z.object({ id: z.string(), name: z.string() })).extend({ nextCursor: z.string().nullable() });

let server: Server;
let base: string;
const seen: Array<{ method?: string; type?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, type: req.headers["content-type"], body });
      const answer = ANSWERS[req.url ?? ""] ?? ANSWERS["/html"]!;
      res.writeHead(answer.status, { "content-type": answer.type }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("callApi", () => {
  it("sends JSON and returns the payload parsed with the route's schema (undeclared keys dropped)", async () => {
    const res = await callApi("PATCH", `${base}/ok`, payload, { name: "Desk" });
    expect(seen.at(-1)).toEqual({ method: "PATCH", type: "application/json", body: '{"name":"Desk"}' });
    expect(res).toEqual({ ok: true, success: true, data: { id: "c1", name: "Desk" }, nextCursor: null });
  });

  it("refuses a success that does not match the schema rather than hand the page a wrong shape", async () => {
    expect(await callApi("GET", `${base}/drifted`, payload)).toMatchObject({ ok: false, status: 200, code: null, message: expect.stringMatching(/reload the page/) });
  });

  it("gives the error envelope's code and message", async () => {
    expect(await callApi("POST", `${base}/error`, payload)).toEqual({ ok: false, status: 409, code: "conflict", message: "This number is held by another workspace" });
  });

  it("turns an answer that is not the envelope, or no answer, into a sentence", async () => {
    expect(await callApi("GET", `${base}/html`, payload)).toEqual({ ok: false, status: 502, code: null, message: "Something went wrong (HTTP 502). Try again." });
    expect(await callApi("GET", "http://127.0.0.1:1/nothing-listens", payload)).toMatchObject({ ok: false, status: 0, message: expect.stringMatching(/Could not reach WhaTrack/) });
  });
});
