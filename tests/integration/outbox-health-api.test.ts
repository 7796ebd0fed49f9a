import { beforeEach, describe, expect, it } from "vitest";
import { GET as listEmails } from "@/app/api/v1/emails/route";
import { GET as listHealthChecks } from "@/app/api/v1/health-checks/route";
import { prisma } from "@/lib/db/client";
import { ownerRequest, routeContext, type TestOwner } from "@/tests/helpers/owner-session";
import { connectTestNumber, type TestNumber } from "@/tests/helpers/webhook-harness";
import { ownerOf } from "@/tests/helpers/workspace-owner";

let number: TestNumber;
let owner: TestOwner;
beforeEach(async () => {
  number = await connectTestNumber();
  owner = await ownerOf(number.workspaceId);
});

const email = (status: "OUTBOX" | "FAILED" | "SENT" | "PENDING", minutesAgo: number, workspaceId: string | null = number.workspaceId) => ({
  workspaceId,
  to: "owner@example.com",
  subject: `${status} alert`,
  html: "<p>body</p>",
  text: "body",
  status,
  error: status === "FAILED" ? "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:25" : null,
  createdAt: new Date(Date.now() - minutesAgo * 60_000),
});

describe("email outbox API", () => {
  it("lists the workspace's unsent emails (outbox and refused), newest first, paged", async () => {
    await prisma.emailMessage.createMany({ data: [email("OUTBOX", 3), email("FAILED", 2), email("SENT", 1), email("PENDING", 1), email("OUTBOX", 5, null)] });
    const res = await listEmails(ownerRequest(owner, "GET", "/api/v1/emails"), routeContext({}));
    expect(res.status).toBe(200);
    const { data, nextCursor } = await res.json();
    expect(data.map((e: { subject: string }) => e.subject)).toEqual(["FAILED alert", "OUTBOX alert"]);
    expect(data[0]).toMatchObject({ status: "FAILED", error: expect.stringContaining("ECONNREFUSED"), text: "body", to: "owner@example.com" });
    expect(nextCursor).toBeNull();

    const first = await (await listEmails(ownerRequest(owner, "GET", "/api/v1/emails?limit=1"), routeContext({}))).json();
    const second = await (await listEmails(ownerRequest(owner, "GET", `/api/v1/emails?limit=1&cursor=${first.nextCursor}`), routeContext({}))).json();
    expect([first.data[0].subject, second.data[0].subject]).toEqual(["FAILED alert", "OUTBOX alert"]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("health-check history API", () => {
  it("lists the checks of the workspace's numbers, newest first, optionally for one number", async () => {
    const second = await prisma.whatsAppConnection.create({ data: { workspaceId: number.workspaceId, wabaId: "1", phoneNumberId: `${Date.now()}`, displayPhoneNumber: "+1 555 010 9999" } });
    const at = (m: number) => new Date(Date.now() - m * 60_000);
    await prisma.healthCheck.createMany({
      data: [
        { workspaceId: number.workspaceId, connectionId: number.connectionId, kind: "token", result: "HEALTHY", latencyMs: 120, checkedAt: at(30) },
        { workspaceId: number.workspaceId, connectionId: number.connectionId, kind: "number", result: "ERROR", latencyMs: 3000, errorCode: 190, errorMessage: "Error validating access token", checkedAt: at(10) },
        { workspaceId: number.workspaceId, connectionId: second.id, kind: "subscription", result: "WARNING", checkedAt: at(20) },
      ],
    });
    const { data } = await (await listHealthChecks(ownerRequest(owner, "GET", "/api/v1/health-checks"), routeContext({}))).json();
    expect(data.map((c: { kind: string }) => c.kind)).toEqual(["number", "subscription", "token"]);
    expect(data[0]).toMatchObject({ result: "ERROR", latencyMs: 3000, errorCode: 190, errorMessage: "Error validating access token", connection: { id: number.connectionId } });
    const one = await (await listHealthChecks(ownerRequest(owner, "GET", `/api/v1/health-checks?connectionId=${second.id}`), routeContext({}))).json();
    expect(one.data.map((c: { kind: string }) => c.kind)).toEqual(["subscription"]);
  });
});
