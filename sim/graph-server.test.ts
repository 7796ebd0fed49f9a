import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectGraphSimulator } from "@/sim/graph-control-client";
import { startGraphSimulator, type GraphSimulator } from "@/sim/graph-server";
import { SimulatorState } from "@/sim/graph-state";

const TOKEN = "EAAGtesttokenSIMULATOR0123456789";
let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startGraphSimulator({ appId: "111222333444555", appSecret: "shh" });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.control.reset();
});

async function graph(method: string, path: string, options: { token?: string | null; body?: unknown } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const json: unknown = await res.json();
  return { status: res.status, json };
}

const sendText = (phoneNumberId: string, to = "+1 555 010 2030", token?: string | null) =>
  graph("POST", `/v25.0/${phoneNumberId}/messages`, {
    token,
    body: { messaging_product: "whatsapp", to, type: "text", text: { body: "hello" } },
  });

describe("Graph endpoints", () => {
  it("answers a phone number with stable made-up details under any version prefix", async () => {
    const fields = "status,quality_rating,name_status,code_verification_status,display_phone_number,verified_name,throughput,whatsapp_business_manager_messaging_limit";
    const a = await graph("GET", `/v25.0/106540352242922?fields=${fields}`);
    const b = await graph("GET", `/v19.0/106540352242922?fields=${fields}`);
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      id: "106540352242922",
      status: "CONNECTED",
      quality_rating: "GREEN",
      name_status: "APPROVED",
      code_verification_status: "VERIFIED",
      display_phone_number: expect.stringMatching(/^\+1 555-\d{3}-\d{4}$/),
      verified_name: expect.any(String),
      throughput: { level: expect.any(String) },
      whatsapp_business_manager_messaging_limit: expect.stringMatching(/^TIER_/),
    });
    expect(b.json).toEqual(a.json);
    const other = await graph("GET", `/v25.0/999000111222333?fields=display_phone_number`);
    expect(other.json).not.toEqual({ id: "106540352242922", display_phone_number: (a.json as { display_phone_number: string }).display_phone_number });
  });

  it("reflects setNumber overrides in the number and its health", async () => {
    sim.control.setNumber("555", { qualityRating: "RED", canSendMessage: "BLOCKED" });
    expect((await graph("GET", "/v25.0/555?fields=quality_rating")).json).toEqual({ quality_rating: "RED", id: "555" });
    const health = await graph("GET", "/v25.0/555?fields=health_status");
    expect(health.json).toMatchObject({ health_status: { can_send_message: "BLOCKED", entities: expect.arrayContaining([expect.objectContaining({ entity_type: "PHONE_NUMBER", id: "555", can_send_message: "BLOCKED" })]) } });
  });

  it("sends a message: Graph's response shape, a unique wamid, and a record of it", async () => {
    const first = await sendText("106540352242922");
    const second = await sendText("106540352242922");
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ messaging_product: "whatsapp", contacts: [{ input: "+1 555 010 2030", wa_id: "15550102030" }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
    const ids = [first, second].map((r) => (r.json as { messages: Array<{ id: string }> }).messages[0]!.id);
    expect(new Set(ids).size).toBe(2);
    const sent = sim.control.sentMessages();
    expect(sent.map((m) => m.wamid)).toEqual(ids);
    expect(sent[0]).toMatchObject({ phoneNumberId: "106540352242922", to: "+1 555 010 2030", waId: "15550102030", type: "text", text: "hello" });
  });

  it("rejects a send without messaging_product as Graph does (code 100)", async () => {
    const res = await graph("POST", "/v25.0/1/messages", { body: { to: "15550102030", type: "text", text: { body: "x" } } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 100, type: "OAuthException" } });
  });

  it("answers a missing or empty Bearer with code 190 in Graph's error shape", async () => {
    for (const token of [null, ""]) {
      const res = await sendText("1", undefined, token);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: { message: expect.any(String), type: "OAuthException", code: 190, fbtrace_id: expect.any(String) } });
    }
  });

  it("invalid and expired tokens fail with 190 (463 for expiry)", async () => {
    sim.control.setTokenInvalid("revoked-token", 190, 460);
    sim.control.setTokenExpiry("old-token", new Date(Date.now() - 60_000));
    expect((await sendText("1", undefined, "revoked-token")).json).toMatchObject({ error: { code: 190, error_subcode: 460 } });
    expect((await sendText("1", undefined, "old-token")).json).toMatchObject({ error: { code: 190, error_subcode: 463, message: expect.stringContaining("expired") } });
    expect((await sendText("1", undefined, "fresh-token")).status).toBe(200);
  });

  it("debug_token needs the app token and reports validity and expiry", async () => {
    const expiry = new Date("2031-01-01T00:00:00Z");
    sim.control.setTokenExpiry("user-token", expiry);
    sim.control.setTokenInvalid("bad-token");
    const ok = await graph("GET", "/v25.0/debug_token?input_token=user-token", { token: "111222333444555|shh" });
    expect(ok.json).toMatchObject({ data: { is_valid: true, expires_at: expiry.getTime() / 1000, scopes: expect.arrayContaining(["whatsapp_business_messaging"]) } });
    const viaQuery = await graph("GET", "/v25.0/debug_token?input_token=bad-token&access_token=111222333444555%7Cshh", { token: null });
    expect(viaQuery.json).toMatchObject({ data: { is_valid: false, error: { code: 190 } } });
    expect((await graph("GET", "/v25.0/debug_token?input_token=x", { token: "111222333444555|wrong" })).json).toMatchObject({ error: { code: 190 } });
    expect((await graph("GET", "/v25.0/debug_token?input_token=x", { token: null })).status).toBe(401);
  });

  it("tracks webhook subscriptions per WABA", async () => {
    const list = async () => ((await graph("GET", "/v25.0/W1/subscribed_apps")).json as { data: unknown[] }).data;
    expect(await list()).toEqual([{ whatsapp_business_api_data: expect.objectContaining({ id: "111222333444555" }) }]);
    expect((await graph("DELETE", "/v25.0/W1/subscribed_apps")).json).toEqual({ success: true });
    expect(await list()).toEqual([]);
    expect((await graph("POST", "/v25.0/W1/subscribed_apps")).json).toEqual({ success: true });
    expect(await list()).toHaveLength(1);
    sim.control.setSubscribed("W1", false);
    expect(await list()).toEqual([]);
  });

  it("lists a WABA's phone numbers: the ones set to it and the unassigned ones seen, a page at a time", async () => {
    const list = async (waba: string, query = "") => (await graph("GET", `/v25.0/${waba}/phone_numbers${query}`)).json as { data: Array<{ id: string }>; paging?: { cursors: { after: string }; next?: string } };
    await graph("GET", "/v25.0/777?fields=status"); // seen, assigned to no WABA
    sim.control.setNumber("888", { wabaId: "W1" });
    sim.control.setNumber("999", { wabaId: "W2" });
    expect((await list("W1")).data.map((n) => n.id).sort()).toEqual(["777", "888"]);
    expect((await list("W2")).data.map((n) => n.id).sort()).toEqual(["777", "999"]);
    expect((await list("W1")).data[0]).toMatchObject({ verified_name: expect.any(String), display_phone_number: expect.any(String) });
    expect((await list("W1", "?fields=id")).data[0]).toEqual({ id: expect.any(String) });

    for (let i = 0; i < 5; i++) sim.control.setNumber(`10${i}`, { wabaId: "W3" });
    const first = await list("W3", "?limit=2");
    expect(first.data).toHaveLength(2);
    expect(first.paging?.next).toBeDefined();
    const ids = [...first.data];
    let after = first.paging?.cursors.after;
    while (after) {
      const page = await list("W3", `?limit=2&after=${after}`);
      ids.push(...page.data);
      after = page.paging?.next ? page.paging.cursors.after : undefined;
    }
    expect(ids.map((n) => n.id).sort()).toEqual(["100", "101", "102", "103", "104", "777"]);
    expect((await graph("GET", "/v25.0/W3/phone_numbers?after=bogus")).json).toMatchObject({ error: { code: 100 } });
    expect(sim.control.requests().filter((r) => r.endpoint === "GET /{waba-id}/phone_numbers").every((r) => r.wabaId?.startsWith("W"))).toBe(true);
  });

  it("lists a WABA's templates a page at a time: the default fixture, or what setTemplates gave", async () => {
    type Page = { data: Array<Record<string, unknown>>; paging?: { cursors: { after: string }; next?: string } };
    const all = async (waba: string, limit: number) => {
      const seen: Array<Record<string, unknown>> = [];
      let query = `?limit=${limit}&fields=name,language,status,category,components,id,quality_score,rejected_reason`;
      for (;;) {
        const page = (await graph("GET", `/v25.0/${waba}/message_templates${query}`)).json as Page;
        seen.push(...page.data);
        if (!page.paging?.next) return seen;
        query = `?limit=${limit}&fields=name,language,status,category,components,id,quality_score,rejected_reason&after=${page.paging.cursors.after}`;
      }
    };
    const fixture = await all("W1", 2);
    expect(fixture.map((t) => t.status).sort()).toEqual(["APPROVED", "APPROVED", "APPROVED", "APPROVED", "PENDING", "REJECTED"]);
    expect(fixture[0]).toMatchObject({ id: expect.stringMatching(/^\d{15}$/), name: "hello_world", language: "en_US", category: "UTILITY", components: expect.any(Array) });
    expect(await all("W1", 100)).toEqual(fixture);
    expect((await all("W2", 100)).map((t) => t.id)).not.toContain(fixture[0]!.id);
    // Only the fields asked for (and the id).
    expect(((await graph("GET", "/v25.0/W1/message_templates?fields=name")).json as Page).data[0]).toEqual({ name: "hello_world", id: fixture[0]!.id });

    sim.control.setTemplates("W1", [{ id: "5", name: "only_one", language: "fr", status: "PAUSED", category: "MARKETING", components: [] }]);
    expect(await all("W1", 2)).toEqual([{ id: "5", name: "only_one", language: "fr", status: "PAUSED", category: "MARKETING", components: [] }]);
    sim.control.setTemplates("W1", []);
    expect(((await graph("GET", "/v25.0/W1/message_templates")).json as Page)).toEqual({ data: [] });
    sim.control.setTemplates("W1", null);
    expect(await all("W1", 100)).toEqual(fixture);
    expect(sim.control.requests().filter((r) => r.endpoint === "GET /{waba-id}/message_templates").every((r) => r.wabaId?.startsWith("W"))).toBe(true);
  });

  it("takes a multipart media upload, answers its id and records what it got", async () => {
    const upload = async (form: FormData) => {
      const res = await fetch(`${sim.url}/v25.0/106540352242922/media`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` }, body: form });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const bytes = Buffer.from("%PDF-1.4 a tiny document");
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", "application/pdf");
    form.set("file", new Blob([bytes], { type: "application/pdf" }), "invoice.pdf");
    const ok = await upload(form);
    expect(ok).toEqual({ status: 200, json: { id: expect.stringMatching(/^\d{16}$/) } });
    expect(sim.control.uploadedMedia()).toEqual([
      {
        id: ok.json.id,
        phoneNumberId: "106540352242922",
        type: "application/pdf",
        mimeType: "application/pdf",
        filename: "invoice.pdf",
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      },
    ]);

    const noFile = new FormData();
    noFile.set("messaging_product", "whatsapp");
    noFile.set("type", "image/png");
    expect(await upload(noFile)).toMatchObject({ status: 400, json: { error: { code: 100 } } });
    const json = await graph("POST", "/v25.0/106540352242922/media", { body: { messaging_product: "whatsapp" } });
    expect(json).toMatchObject({ status: 400, json: { error: { code: 100 } } });
    expect(sim.control.uploadedMedia()).toHaveLength(1);
  });

  it("serves media metadata and the bytes it describes", async () => {
    const meta = (await graph("GET", "/v25.0/1357924680")).json as { url: string; sha256: string; file_size: number; mime_type: string };
    expect(meta).toMatchObject({ id: "1357924680", messaging_product: "whatsapp", mime_type: expect.any(String) });
    const download = await fetch(meta.url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(meta.file_size);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(meta.sha256);
  });

  it("answers an unknown path with Graph's code 100 / subcode 33", async () => {
    expect((await graph("POST", "/v25.0/123/nonsense")).json).toMatchObject({ error: { code: 100, error_subcode: 33 } });
  });
});

describe("scripting", () => {
  it("applies a scripted error `times` times, then stops", async () => {
    sim.control.script({ pathPattern: "/messages$", error: { code: 130429 }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await sendText("1")).json);
    expect(statuses.slice(0, 2)).toEqual([
      { error: expect.objectContaining({ code: 130429, type: "OAuthException", error_data: { messaging_product: "whatsapp", details: expect.any(String) } }) },
      { error: expect.objectContaining({ code: 130429 }) },
    ]);
    expect(statuses.slice(2)).toEqual([expect.objectContaining({ messages: expect.any(Array) }), expect.objectContaining({ messages: expect.any(Array) })]);
  });

  it("matches on phone number id, token and method, and keeps going without `times`", async () => {
    sim.control.script({ method: "POST", phoneNumberId: "P-window", error: { code: 131047, subcode: 2494010, httpStatus: 400 } });
    sim.control.script({ token: "throttled-token", error: { code: 80007 } });
    for (let i = 0; i < 3; i++) expect((await sendText("P-window")).json).toMatchObject({ error: { code: 131047, error_subcode: 2494010 } });
    expect((await sendText("P-other")).status).toBe(200);
    expect((await sendText("P-other", undefined, "throttled-token")).json).toMatchObject({ error: { code: 80007 } });
  });

  it("matches a send's recipient (`to`, with or without +), leaving other recipients alone", async () => {
    sim.control.script({ to: "+15550102030", error: { code: 131026 } });
    expect((await sendText("1", "15550102030")).json).toMatchObject({ error: { code: 131026 } });
    expect((await sendText("1", "+1 555 010 2030")).json).toMatchObject({ error: { code: 131026 } });
    expect((await sendText("1", "15550109999")).status).toBe(200);
    // Only sends have a recipient: other endpoints never match a `to` rule.
    expect((await graph("GET", "/v25.0/1?fields=quality_rating")).status).toBe(200);
  });

  it("uses Meta's HTTP statuses: 5xx for server errors, or the one scripted", async () => {
    sim.control.script({ error: { code: 1 }, times: 1 });
    sim.control.script({ error: { code: 131000, httpStatus: 502 }, times: 1 });
    expect((await sendText("1")).status).toBe(500);
    expect((await sendText("1")).status).toBe(502);
  });

  it("can answer with a scripted raw response (a malformed body)", async () => {
    sim.control.script({ pathPattern: "/messages$", response: { body: "<html>oops" }, times: 1 });
    const res = await fetch(`${sim.url}/v25.0/1/messages`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` }, body: "{}" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<html>oops");
  });

  it("rejects a rule with neither error nor response", () => {
    expect(() => sim.control.script({ pathPattern: "x" })).toThrow(/exactly one/);
  });

  it("rate-limits beyond setRateLimit per second: 130429 for sends, 80007 otherwise", async () => {
    sim.control.setRateLimit(5);
    const results = await Promise.all(Array.from({ length: 8 }, () => sendText("1")));
    const codes = results.map((r) => (r.status === 200 ? 200 : (r.json as { error: { code: number } }).error.code));
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 130429)).toHaveLength(3);
    expect((await graph("GET", "/v25.0/1?fields=status")).json).toMatchObject({ error: { code: 80007 } });
    sim.control.setRateLimit(null);
    expect((await sendText("1")).status).toBe(200);
  });

  it("adds latency", async () => {
    sim.control.setLatency(150);
    const started = performance.now();
    await sendText("1");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("records and stats", () => {
  it("records method, path without query, ids and status, never tokens", async () => {
    await graph("GET", "/v25.0/debug_token?input_token=secret-input-token", { token: "111222333444555|shh" });
    await sendText("PN1");
    await graph("GET", "/v25.0/WABA1/subscribed_apps");
    const log = sim.control.requests();
    expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/debug_token", 200],
      ["POST", "/PN1/messages", 200],
      ["GET", "/WABA1/subscribed_apps", 200],
    ]);
    expect(log[1]).toMatchObject({ phoneNumberId: "PN1", endpoint: "POST /{phone-number-id}/messages", time: expect.any(Number) });
    expect(log[2]).toMatchObject({ wabaId: "WABA1" });
    const dump = JSON.stringify(log);
    for (const secret of [TOKEN, "secret-input-token", "shh"]) expect(dump).not.toContain(secret);
  });

  it("counts requests per endpoint and the peak of a burst", async () => {
    await Promise.all(Array.from({ length: 25 }, () => sendText("1")));
    await graph("GET", "/v25.0/1?fields=health_status");
    const stats = sim.control.stats();
    expect(stats.totalRequests).toBe(26);
    expect(stats.byEndpoint).toEqual({ "POST /{phone-number-id}/messages": 25, "GET /{node}?fields=health_status": 1 });
    expect(stats.byStatus).toEqual({ "200": 26 });
    expect(stats.peakPerSecond).toBe(26);
  });

  it("counts accepted sends per second, for one number or all (refused ones are not sends)", async () => {
    sim.control.script({ phoneNumberId: "N-refused", error: { code: 130429 } });
    for (let i = 0; i < 3; i++) await sendText("N-a");
    await sendText("N-b");
    await sendText("N-refused");
    const counted = (list: Array<{ second: number; count: number }>) => list.reduce((n, s) => n + s.count, 0);
    expect(counted(sim.control.sendsPerSecond())).toBe(4);
    expect(counted(sim.control.sendsPerSecond("N-a"))).toBe(3);
    expect(sim.control.sendsPerSecond("N-a").every((s) => Number.isInteger(s.second) && s.second > 1e9)).toBe(true);
    expect(await connectGraphSimulator(sim.url).sendsPerSecond("N-b")).toEqual(sim.control.sendsPerSecond("N-b"));
  });

  it("computes the peak over a sliding 1-second window", () => {
    const state = new SimulatorState({ latencyMs: 0, maxRecorded: 100, defaultSubscribed: true });
    for (let t = 0; t < 1000; t += 100) state.noteArrival("e", t); // 10 within one second
    state.noteArrival("e", 1500); // window (500, 1500] holds 600..900 and 1500 = 5
    expect(state.stats().peakPerSecond).toBe(10);
    for (let i = 0; i < 20; i++) state.noteArrival("e", 2000); // window (1000, 2000] holds 1500 + 20 = 21
    expect(state.stats().peakPerSecond).toBe(21);
    for (let i = 0; i < 5; i++) state.noteArrival("e", 5000 + i * 300); // a slow trickle does not raise it
    expect(state.stats().peakPerSecond).toBe(21);
  });
});

describe("HTTP control API", () => {
  it("scripts, inspects and resets a simulator over /__sim/", async () => {
    const remote = connectGraphSimulator(sim.url);
    const { id } = await remote.script({ pathPattern: "/messages$", error: { code: 131026 }, times: 1 });
    expect(id).toMatch(/^rule-/);
    expect((await sendText("1")).json).toMatchObject({ error: { code: 131026 } });
    expect((await sendText("1")).status).toBe(200);

    await remote.setTokenInvalid("remote-bad");
    expect((await sendText("1", undefined, "remote-bad")).json).toMatchObject({ error: { code: 190 } });
    await remote.setTokenExpiry("remote-old", new Date(Date.now() - 1000));
    expect((await sendText("1", undefined, "remote-old")).json).toMatchObject({ error: { error_subcode: 463 } });
    await remote.setSubscribed("W9", false);
    expect((await graph("GET", "/v25.0/W9/subscribed_apps")).json).toEqual({ data: [] });
    await remote.setNumber("N1", { qualityRating: "YELLOW" });
    expect((await graph("GET", "/v25.0/N1?fields=quality_rating")).json).toEqual({ quality_rating: "YELLOW", id: "N1" });
    await remote.setRateLimit(1000);
    await remote.setLatency(0);
    await remote.setTemplates("W9", [{ id: "7", name: "remote", language: "en", status: "APPROVED", category: "UTILITY", components: [] }]);
    expect((await graph("GET", "/v25.0/W9/message_templates")).json).toEqual({
      data: [{ id: "7", name: "remote", language: "en", status: "APPROVED", category: "UTILITY", components: [] }],
      paging: expect.anything(),
    });
    expect(await remote.uploadedMedia()).toEqual([]);

    expect((await remote.sentMessages()).length).toBe(1);
    const log = await remote.requests();
    expect(log.length).toBeGreaterThanOrEqual(7);
    expect((await remote.stats()).totalRequests).toBe(log.length);

    await remote.reset();
    expect(await remote.requests()).toEqual([]);
    expect((await graph("GET", "/v25.0/W9/subscribed_apps")).json).not.toEqual({ data: [] });
  });

  it("answers 400 for an invalid control body and 404 for an unknown operation", async () => {
    const post = (op: string, body: string) => fetch(`${sim.url}/__sim/${op}`, { method: "POST", body });
    expect((await post("script", JSON.stringify({ error: { code: "x" } }))).status).toBe(400);
    expect((await post("script", JSON.stringify({ pathPattern: "(", error: { code: 1 } }))).status).toBe(400);
    expect((await post("latency", "not json")).status).toBe(400);
    expect((await post("explode", "{}")).status).toBe(404);
    expect((await fetch(`${sim.url}/__sim/nothing`)).status).toBe(404);
  });
});
