import { beforeEach, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/v1/templates/route";
import { POST as syncRoute } from "@/app/api/v1/templates/sync/route";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/http/app-error";
import { logger } from "@/lib/log/logger";
import { findApprovedTemplate } from "@/lib/templates/find-approved-template";
import { runTemplateSync } from "@/lib/templates/run-template-sync";
import { syncTemplates } from "@/lib/templates/sync-templates";
import type { SimTemplate } from "@/sim/graph-fixtures";
import { serializeLikeMeta, templateQualityDelivery, templateStatusDelivery } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { callJob } from "@/tests/helpers/job-routes";
import { testJobContext } from "@/tests/helpers/job-context";
import { ownerRequest, routeContext } from "@/tests/helpers/owner-session";
import { retireOtherNumbers } from "@/tests/helpers/owned-number";
import { connectTestNumber, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

// Templates against the Graph simulator: the sync (every page, DELETED marking, failures leaving rows be),
// the two template webhooks through the real webhook route and inbox, the job, the routes and the lookup
// the send pipeline uses.

const sim = () => graphSimulator().control;
const rows = (n: { workspaceId: string }) => prisma.messageTemplate.findMany({ where: { workspaceId: n.workspaceId }, orderBy: [{ name: "asc" }, { language: "asc" }] });
const templateCalls = (wabaId: string) => sim().requests().filter((r) => r.endpoint === "GET /{waba-id}/message_templates" && r.wabaId === wabaId);

function many(count: number, status = "APPROVED"): SimTemplate[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(900_000_000_000_000 + i),
    name: `tpl_${String(i).padStart(4, "0")}`,
    language: "en_US",
    status,
    category: "UTILITY",
    components: [{ type: "BODY", text: `Template ${i}: {{1}}` }],
    quality_score: { score: "GREEN" },
  }));
}

async function deliver(delivery: unknown) {
  const res = await postWebhook(serializeLikeMeta(delivery));
  expect(res.status).toBe(200);
  await runAfterCallbacks();
}

beforeEach(() => {
  sim().reset();
});

describe("syncTemplates", () => {
  it("reads every page, upserts the rows, and marks templates Graph no longer lists DELETED (kept, not dropped)", async () => {
    const n = await connectTestNumber();
    sim().setTemplates(n.wabaId, many(230));
    expect(await syncTemplates(n.workspaceId, logger)).toEqual({ wabas: 1, failedWabas: 0, templates: 230, created: 230, updated: 0, deleted: 0 });
    // 100 a page: three pages, each followed by its cursor.
    expect(templateCalls(n.wabaId)).toHaveLength(3);
    const stored = await rows(n);
    expect(stored).toHaveLength(230);
    expect(stored[0]).toMatchObject({ wabaId: n.wabaId, metaTemplateId: "900000000000000", name: "tpl_0000", language: "en_US", status: "APPROVED", category: "UTILITY", quality: "GREEN", components: [{ type: "BODY", text: "Template 0: {{1}}" }] });

    const changed = many(200);
    changed[5] = { ...changed[5]!, status: "REJECTED", rejected_reason: "INVALID_FORMAT" };
    sim().setTemplates(n.wabaId, changed);
    expect(await syncTemplates(n.workspaceId, logger)).toEqual({ wabas: 1, failedWabas: 0, templates: 200, created: 0, updated: 200, deleted: 30 });
    const after = await rows(n);
    expect(after).toHaveLength(230);
    expect(after.filter((t) => t.status === "DELETED").map((t) => t.name)).toEqual(many(230).slice(200).map((t) => t.name));
    expect(after.find((t) => t.name === "tpl_0005")).toMatchObject({ status: "REJECTED", reason: "INVALID_FORMAT" });
    // Already DELETED rows are not counted again.
    expect(await syncTemplates(n.workspaceId, logger)).toMatchObject({ deleted: 0, updated: 200 });

    sim().setTemplates(n.wabaId, many(230));
    expect(await syncTemplates(n.workspaceId, logger)).toMatchObject({ created: 0, updated: 230, deleted: 0 });
    expect((await rows(n)).filter((t) => t.status === "DELETED")).toEqual([]);
  });

  it("leaves a WABA's rows as they were when Graph does not list its templates (error, invalid token)", async () => {
    const n = await connectTestNumber();
    sim().setTemplates(n.wabaId, many(3));
    await syncTemplates(n.workspaceId, logger);
    sim().setTemplates(n.wabaId, []);
    sim().script({ pathPattern: "/message_templates$", error: { code: 2, message: "Service temporarily unavailable" }, times: 1 });
    expect(await syncTemplates(n.workspaceId, logger)).toEqual({ wabas: 0, failedWabas: 1, templates: 0, created: 0, updated: 0, deleted: 0 });
    sim().setTokenInvalid(n.token);
    expect(await syncTemplates(n.workspaceId, logger)).toMatchObject({ failedWabas: 1, deleted: 0 });
    expect((await rows(n)).map((t) => t.status)).toEqual(["APPROVED", "APPROVED", "APPROVED"]);
  });

  it("lists a WABA shared by two numbers once, and skips numbers whose token Meta rejected", async () => {
    const n = await connectTestNumber();
    const { createConnection } = await import("@/lib/connections/create-connection");
    await createConnection({ workspaceId: n.workspaceId, wabaId: n.wabaId, phoneNumberId: String(300_000_000_000_000 + Math.floor(Math.random() * 1e12)), accessToken: `EAAT${"y".repeat(32)}` });
    expect(await syncTemplates(n.workspaceId, logger)).toMatchObject({ wabas: 1, templates: 6, created: 6 });
    expect(templateCalls(n.wabaId)).toHaveLength(1);
    await prisma.accessToken.updateMany({ where: { workspaceId: n.workspaceId }, data: { isValid: false } });
    expect(await syncTemplates(n.workspaceId, logger)).toEqual({ wabas: 0, failedWabas: 0, templates: 0, created: 0, updated: 0, deleted: 0 });
  });
});

describe("template webhooks", () => {
  async function synced(): Promise<TestNumber> {
    const n = await connectTestNumber({ autoReplyEnabled: false });
    sim().setTemplates(n.wabaId, many(2));
    await syncTemplates(n.workspaceId, logger);
    return n;
  }
  const row = (n: TestNumber, name: string) => prisma.messageTemplate.findUniqueOrThrow({ where: { workspaceId_wabaId_name_language: { workspaceId: n.workspaceId, wabaId: n.wabaId, name, language: "en_US" } } });

  it("message_template_status_update changes the status (by Meta's id) and its reason; the send lookup follows", async () => {
    const n = await synced();
    await deliver(templateStatusDelivery(n.wabaId, { templateId: "900000000000000", name: "tpl_0000", language: "en_US", event: "PAUSED", reason: "Low quality" }));
    expect(await row(n, "tpl_0000")).toMatchObject({ status: "PAUSED", reason: "Low quality" });
    expect(await row(n, "tpl_0001")).toMatchObject({ status: "APPROVED" });
    await expect(findApprovedTemplate(n.workspaceId, n.connectionId, "tpl_0000", "en_US")).rejects.toMatchObject({ code: "template_not_approved", status: 422 });

    await deliver(templateStatusDelivery(n.wabaId, { templateId: "900000000000000", name: "tpl_0000", language: "en_US", event: "REINSTATED" }));
    expect(await row(n, "tpl_0000")).toMatchObject({ status: "APPROVED", reason: null });
    expect(await findApprovedTemplate(n.workspaceId, n.connectionId, "tpl_0000", "en_US")).toMatchObject({ name: "tpl_0000", status: "APPROVED" });

    // FLAGGED is a warning, not a status: the template can still be sent.
    await deliver(templateStatusDelivery(n.wabaId, { templateId: "900000000000000", name: "tpl_0000", language: "en_US", event: "FLAGGED", reason: "Quality dropped" }));
    expect(await row(n, "tpl_0000")).toMatchObject({ status: "APPROVED", reason: "Quality dropped" });
    await deliver(templateStatusDelivery(n.wabaId, { templateId: "900000000000000", name: "tpl_0000", language: "en_US", event: "DISABLED", reason: "Quality" }));
    expect(await row(n, "tpl_0000")).toMatchObject({ status: "DISABLED" });
    // An activity event per change, as for every account change.
    expect(await prisma.activityEvent.count({ where: { workspaceId: n.workspaceId, type: "meta.message_template_status_update" } })).toBe(4);
  });

  it("matches by name and language when Meta's id changed (a template deleted and created again)", async () => {
    const n = await synced();
    await deliver(templateStatusDelivery(n.wabaId, { templateId: "111222333444555", name: "tpl_0001", language: "en_US", event: "REJECTED", reason: "INVALID_FORMAT" }));
    expect(await row(n, "tpl_0001")).toMatchObject({ status: "REJECTED", reason: "INVALID_FORMAT", metaTemplateId: "111222333444555" });
  });

  it("message_template_quality_update changes the quality", async () => {
    const n = await synced();
    await deliver(templateQualityDelivery(n.wabaId, { templateId: "900000000000001", name: "tpl_0001", language: "en_US", quality: "RED" }));
    expect(await row(n, "tpl_0001")).toMatchObject({ quality: "RED", status: "APPROVED" });
    expect(await row(n, "tpl_0000")).toMatchObject({ quality: "GREEN" });
  });

  it("a status for a template not synced yet inserts it for every workspace on the WABA; a quality for one is dropped", async () => {
    const n = await synced();
    // A second workspace with a number on the same WABA keeps its own rows of it.
    const { createConnection } = await import("@/lib/connections/create-connection");
    const other = await connectTestNumber();
    const shared = await createConnection({ workspaceId: other.workspaceId, wabaId: n.wabaId, phoneNumberId: String(400_000_000_000_000 + Math.floor(Math.random() * 1e12)), accessToken: `EAAT${"z".repeat(32)}` });
    await deliver(templateStatusDelivery(n.wabaId, { templateId: "123123123123123", name: "brand_new", language: "pt_BR", event: "APPROVED", category: "MARKETING" }));
    expect(await findApprovedTemplate(other.workspaceId, shared.id, "brand_new", "pt_BR")).toMatchObject({ workspaceId: other.workspaceId, metaTemplateId: "123123123123123" });
    expect(await prisma.messageTemplate.count({ where: { name: "brand_new" } })).toBe(2);
    const inserted = await prisma.messageTemplate.findFirstOrThrow({ where: { workspaceId: n.workspaceId, name: "brand_new" } });
    expect(inserted).toMatchObject({ wabaId: n.wabaId, metaTemplateId: "123123123123123", language: "pt_BR", status: "APPROVED", category: "MARKETING", components: [], quality: null });
    expect(await findApprovedTemplate(n.workspaceId, n.connectionId, "brand_new", "pt_BR")).toMatchObject({ id: inserted.id });

    await deliver(templateQualityDelivery(n.wabaId, { templateId: "321321321321321", name: "never_seen", language: "en_US", quality: "YELLOW" }));
    expect(await prisma.messageTemplate.count({ where: { name: "never_seen" } })).toBe(0);
    // The same status again changes nothing and inserts nothing twice.
    await deliver(templateStatusDelivery(n.wabaId, { templateId: "123123123123123", name: "brand_new", language: "pt_BR", event: "APPROVED", category: "MARKETING" }));
    expect(await prisma.messageTemplate.count({ where: { name: "brand_new" } })).toBe(2);
  });

  it("changes nothing for a WABA no workspace has, and a malformed template change still processes", async () => {
    const n = await synced();
    await deliver(templateStatusDelivery("999999999999999", { templateId: "900000000000000", name: "tpl_0000", language: "en_US", event: "DISABLED" }));
    expect(await row(n, "tpl_0000")).toMatchObject({ status: "APPROVED" });
    const malformed = { object: "whatsapp_business_account", entry: [{ id: n.wabaId, changes: [{ field: "message_template_status_update", value: { event: "PAUSED" } }] }] };
    await deliver(malformed);
    expect(await row(n, "tpl_0000")).toMatchObject({ status: "APPROVED" });
    expect(await prisma.webhookEvent.count({ where: { workspaceId: n.workspaceId, state: { not: "PROCESSED" } } })).toBe(0);
  });
});

describe("findApprovedTemplate", () => {
  it("answers the APPROVED row of the connection's WABA; 422 for PENDING, REJECTED or unknown; 404 for another workspace's number", async () => {
    const n = await connectTestNumber();
    await syncTemplates(n.workspaceId, logger); // the default fixture
    expect(await findApprovedTemplate(n.workspaceId, n.connectionId, "order_update", "es")).toMatchObject({ name: "order_update", language: "es", status: "APPROVED" });
    for (const [name, language] of [["spring_sale", "en_US"], ["free_money", "en_US"], ["order_update", "fr"], ["nope", "en_US"]] as const) {
      const err = await findApprovedTemplate(n.workspaceId, n.connectionId, name, language).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(AppError);
      expect(err, name).toMatchObject({ code: "template_not_approved", status: 422 });
    }
    expect(((await findApprovedTemplate(n.workspaceId, n.connectionId, "free_money", "en_US").catch((e: unknown) => e)) as Error).message).toContain("REJECTED");
    const other = await connectTestNumber();
    await expect(findApprovedTemplate(other.workspaceId, n.connectionId, "order_update", "es")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("the template-sync job", () => {
  it("syncs every workspace with a live number, resumes after its cursor, and runs through the job route", async () => {
    await retireOtherNumbers();
    const a = await connectTestNumber();
    const b = await connectTestNumber();
    const [first, second] = [a, b].sort((x, y) => (x.workspaceId < y.workspaceId ? -1 : 1)) as [TestNumber, TestNumber];

    const resumed = testJobContext({ cursor: { afterWorkspaceId: first.workspaceId } });
    const partial = await runTemplateSync(resumed);
    expect(partial).toMatchObject({ hasMore: false, summary: { workspaces: 1, wabas: 1, created: 6 } });
    expect(resumed.savedCursor()).toBeNull();
    expect(await prisma.messageTemplate.count({ where: { workspaceId: first.workspaceId } })).toBe(0);
    expect(await prisma.messageTemplate.count({ where: { workspaceId: second.workspaceId } })).toBe(6);

    const stopped = testJobContext({ deadline: Date.now() - 1 });
    expect(await runTemplateSync(stopped)).toMatchObject({ hasMore: true, summary: { workspaces: 0 } });

    const res = await callJob("template-sync");
    const body = (await res.json()) as { success: boolean; jobId: string; data: Record<string, number> };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ success: true, jobId: "template-sync", data: { workspaces: 2, wabas: 2, created: 6, updated: 6, deleted: 0 } });
    expect(await prisma.messageTemplate.count({ where: { workspaceId: first.workspaceId } })).toBe(6);
  });
});

describe("template routes", () => {
  it("GET lists the workspace's templates by name, filtered by number and status, a page at a time; POST sync answers counts", async () => {
    const n = await connectTestNumber();
    const owner = await ownerOf(n.workspaceId);
    const synced = await syncRoute(ownerRequest(owner, "POST", "/api/v1/templates/sync"), routeContext({}));
    expect(synced.status).toBe(200);
    expect(await synced.json()).toEqual({ success: true, data: { wabas: 1, failedWabas: 0, templates: 6, created: 6, updated: 0, deleted: 0 } });

    const list = async (query: string) => {
      const res = await listRoute(ownerRequest(owner, "GET", `/api/v1/templates${query}`), routeContext({}));
      return { status: res.status, body: (await res.json()) as { data: Array<{ name: string; language: string; status: string }>; nextCursor: string | null; error?: { code: string } } };
    };
    const all = await list("");
    expect(all.body.data.map((t) => `${t.name}/${t.language}`)).toEqual(expect.arrayContaining(["appointment_reminder/en_US", "free_money/en_US", "hello_world/en_US", "spring_sale/en_US"]));
    expect(all.body.data.map((t) => t.name)).toEqual([...all.body.data.map((t) => t.name)].sort());
    expect(all.body.nextCursor).toBeNull();
    expect((await list(`?connectionId=${n.connectionId}&status=approved`)).body.data.every((t) => t.status === "APPROVED")).toBe(true);
    expect((await list("?status=PENDING")).body.data.map((t) => t.name)).toEqual(["spring_sale"]);

    const walked: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Awaited<ReturnType<typeof list>> = await list(`?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      walked.push(...page.body.data.map((t) => `${t.name}/${t.language}`));
      cursor = page.body.nextCursor;
    }
    expect(walked).toEqual(all.body.data.map((t) => `${t.name}/${t.language}`));
    expect(new Set(walked).size).toBe(6);

    expect(await list("?cursor=bogus")).toMatchObject({ status: 422 });
    const other = await connectTestNumber();
    expect(await list(`?connectionId=${other.connectionId}`)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });
});
