import { beforeEach, describe, expect, it } from "vitest";
import { DELETE as revokeRoute } from "@/app/api/v1/api-keys/[id]/route";
import { GET as listKeysRoute, POST as createKeyRoute } from "@/app/api/v1/api-keys/route";
import { POST as mediaRoute } from "@/app/api/v1/media/route";
import { hashApiKey } from "@/lib/api-keys/api-key-secret";
import { MAX_ACTIVE_KEYS } from "@/lib/api-keys/create-api-key";
import { prisma } from "@/lib/db/client";
import { APP_ORIGIN, createTestOwner, ownerRequest, routeContext, type TestOwner } from "@/tests/helpers/owner-session";
import { connectTestNumber, graphSimulator, type TestNumber } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

// The media upload (multipart to the Graph simulator; type, content and size checked first) and the
// API key routes (shown once, hash only at rest, audit-logged, workspace-scoped).

const sim = () => graphSimulator().control;
const MB = 1024 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = Buffer.from("%PDF-1.7\n% an invoice\n");

beforeEach(() => {
  sim().reset();
});

function upload(owner: TestOwner, fields: { connectionId?: string; file?: { bytes: Buffer; type: string; name: string } }, init: { contentType?: string } = {}) {
  const form = new FormData();
  if (fields.connectionId) form.set("connectionId", fields.connectionId);
  if (fields.file) form.set("file", new Blob([new Uint8Array(fields.file.bytes)], { type: fields.file.type }), fields.file.name);
  const request = new Request(`${APP_ORIGIN}/api/v1/media`, { method: "POST", headers: { cookie: owner.cookie, origin: APP_ORIGIN }, body: form });
  if (!init.contentType) return mediaRoute(request, routeContext({}));
  return mediaRoute(new Request(request, { headers: { cookie: owner.cookie, origin: APP_ORIGIN, "content-type": init.contentType } }), routeContext({}));
}

async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; error?: { code: string; message: string } } };
}

describe("POST /api/v1/media", () => {
  let n: TestNumber;
  let owner: TestOwner;
  beforeEach(async () => {
    n = await connectTestNumber();
    owner = await ownerOf(n.workspaceId);
  });

  it("uploads the file to Graph for the number and answers Meta's id, type and size", async () => {
    const res = await json(await upload(owner, { connectionId: n.connectionId, file: { bytes: PDF, type: "application/pdf", name: "invoice.pdf" } }));
    expect(res).toEqual({ status: 201, body: { success: true, data: { id: expect.stringMatching(/^\d+$/), mimeType: "application/pdf", size: PDF.length } } });
    expect(sim().uploadedMedia()).toEqual([
      expect.objectContaining({ id: res.body.data!.id, phoneNumberId: n.phoneNumberId, type: "application/pdf", mimeType: "application/pdf", filename: "invoice.pdf", size: PDF.length }),
    ]);
    // `audio/ogg; codecs=opus` is audio/ogg.
    const voice = await json(await upload(owner, { connectionId: n.connectionId, file: { bytes: Buffer.from("OggS voice"), type: "audio/ogg; codecs=opus", name: "voice.ogg" } }));
    expect(voice).toMatchObject({ status: 201, body: { data: { mimeType: "audio/ogg" } } });
  });

  it("refuses a file beyond its type's limit with 413, before anything reaches Meta", async () => {
    const big = Buffer.alloc(5 * MB + 1, 0);
    PNG.copy(big);
    expect(await json(await upload(owner, { connectionId: n.connectionId, file: { bytes: big, type: "image/png", name: "big.png" } }))).toMatchObject({
      status: 413,
      body: { error: { code: "payload_too_large", message: expect.stringContaining("5 MB") } },
    });
    // The same size is fine as a document (100 MB).
    const doc = Buffer.alloc(5 * MB + 1, 0x20);
    PDF.copy(doc);
    expect((await upload(owner, { connectionId: n.connectionId, file: { bytes: doc, type: "application/pdf", name: "big.pdf" } })).status).toBe(201);
    expect(sim().uploadedMedia().map((m) => m.filename)).toEqual(["big.pdf"]);
  });

  it("refuses a body announced larger than any file WhatsApp takes with 413 without reading it", async () => {
    const request = new Request(`${APP_ORIGIN}/api/v1/media`, {
      method: "POST",
      headers: { cookie: owner.cookie, origin: APP_ORIGIN, "content-type": "multipart/form-data; boundary=x", "content-length": String(200 * MB) },
      body: "--x--",
    });
    expect(await json(await mediaRoute(request, routeContext({})))).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
  });

  it("refuses a type WhatsApp does not take, content that contradicts its type, and a malformed form with 400", async () => {
    const cases = [
      { bytes: Buffer.from("GIF89a"), type: "image/gif", name: "a.gif", message: /does not take/ },
      { bytes: Buffer.from("#!/bin/sh"), type: "application/x-sh", name: "a.sh", message: /does not take/ },
      { bytes: Buffer.from("not a png at all"), type: "image/png", name: "fake.png", message: /content is not image\/png/ },
      { bytes: Buffer.alloc(0), type: "application/pdf", name: "empty.pdf", message: /empty/ },
    ];
    for (const c of cases) {
      expect(await json(await upload(owner, { connectionId: n.connectionId, file: c })), c.name).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: expect.stringMatching(c.message) } } });
    }
    expect(await json(await upload(owner, { connectionId: n.connectionId }))).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("file") } } });
    expect(await json(await upload(owner, { file: { bytes: PNG, type: "image/png", name: "a.png" } }))).toMatchObject({ status: 400 });
    const notMultipart = ownerRequest(owner, "POST", "/api/v1/media", { body: { connectionId: n.connectionId } });
    expect(await json(await mediaRoute(notMultipart, routeContext({})))).toMatchObject({ status: 400 });
    expect(sim().uploadedMedia()).toEqual([]);
  });

  it("404 for another workspace's number; Meta's refusal comes back as 502 without the token", async () => {
    const intruder = await createTestOwner("intruder");
    expect(await json(await upload(intruder, { connectionId: n.connectionId, file: { bytes: PNG, type: "image/png", name: "a.png" } }))).toMatchObject({ status: 404 });
    sim().script({ pathPattern: "/media$", error: { code: 131053, message: `Media upload error ${n.token}` }, times: 1 });
    const refused = await json(await upload(owner, { connectionId: n.connectionId, file: { bytes: PNG, type: "image/png", name: "a.png" } }));
    expect(refused).toMatchObject({ status: 502, body: { error: { code: "bad_gateway", message: expect.stringContaining("131053") } } });
    expect(JSON.stringify(refused.body)).not.toContain(n.token);
  });
});

describe("API keys", () => {
  it("creates a key shown once, stores only its hash, lists it without the key, revokes it; every step audit-logged", async () => {
    const owner = await createTestOwner("keys");
    const created = await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: "  CRM integration " } }), routeContext({}));
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { data: key } = (await created.json()) as { data: { id: string; name: string; prefix: string; key: string; createdAt: string } };
    expect(key).toEqual({ id: expect.any(String), name: "CRM integration", prefix: key.key.slice(0, 10), key: expect.stringMatching(/^wt_[\w-]{43}$/), createdAt: expect.any(String) });

    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ workspaceId: owner.workspaceId, keyHash: hashApiKey(key.key), createdById: owner.userId, revokedAt: null });
    expect(JSON.stringify(row)).not.toContain(key.key);

    const listed = await listKeysRoute(ownerRequest(owner, "GET", "/api/v1/api-keys"), routeContext({}));
    const listText = await listed.text();
    expect(listText).not.toContain(key.key);
    expect(listText).not.toContain(row.keyHash);
    expect(JSON.parse(listText)).toEqual({ success: true, data: [{ id: key.id, name: "CRM integration", prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: null, revokedAt: null }] });

    const revoked = await revokeRoute(ownerRequest(owner, "DELETE", `/api/v1/api-keys/${key.id}`), routeContext({ id: key.id }));
    expect(revoked.status).toBe(200);
    const { data: view } = (await revoked.json()) as { data: { revokedAt: string } };
    expect(view.revokedAt).toEqual(expect.any(String));
    // Again: the same answer, the first revocation's time, one audit entry.
    const again = (await (await revokeRoute(ownerRequest(owner, "DELETE", `/api/v1/api-keys/${key.id}`), routeContext({ id: key.id }))).json()) as { data: { revokedAt: string } };
    expect(again.data.revokedAt).toBe(view.revokedAt);

    const audit = await prisma.auditLog.findMany({ where: { target: key.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["api_key.create", "api_key.revoke"]);
    expect(audit[0]).toMatchObject({ actor: expect.stringContaining("@example.test"), data: { workspaceId: owner.workspaceId, name: "CRM integration", prefix: key.prefix } });
    expect(JSON.stringify(audit)).not.toContain(key.key);
  });

  it("another workspace neither sees nor revokes the keys; names are validated; active keys are bounded", async () => {
    const owner = await createTestOwner("keys");
    const intruder = await createTestOwner("intruder");
    const { data: key } = (await (await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: "mine" } }), routeContext({}))).json()) as { data: { id: string } };
    expect((await (await listKeysRoute(ownerRequest(intruder, "GET", "/api/v1/api-keys"), routeContext({}))).json()) as unknown).toEqual({ success: true, data: [] });
    expect(await json(await revokeRoute(ownerRequest(intruder, "DELETE", `/api/v1/api-keys/${key.id}`), routeContext({ id: key.id })))).toMatchObject({ status: 404 });
    expect(await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ revokedAt: null });

    expect(await json(await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: "   " } }), routeContext({})))).toMatchObject({ status: 422 });
    expect((await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: "x" }, origin: "https://evil.example" }), routeContext({}))).status).toBe(403);

    for (let i = 1; i < MAX_ACTIVE_KEYS; i++) expect((await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: `k${i}` } }), routeContext({}))).status).toBe(201);
    expect(await json(await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: "one too many" } }), routeContext({})))).toMatchObject({ status: 409 });
    await revokeRoute(ownerRequest(owner, "DELETE", `/api/v1/api-keys/${key.id}`), routeContext({ id: key.id }));
    expect((await createKeyRoute(ownerRequest(owner, "POST", "/api/v1/api-keys", { body: { name: "room again" } }), routeContext({}))).status).toBe(201);
  });
});
