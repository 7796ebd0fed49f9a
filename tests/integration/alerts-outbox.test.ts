import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

// No SMTP_URL: every alert is kept as an OUTBOX row for the dashboard, nothing is thrown, and the
// dedupeKey still means once. lib/env reads the variable once, so it is cleared before any app import.
delete process.env.SMTP_URL;

const { prisma } = await import("@/lib/db/client");
const { sendEmail } = await import("@/lib/alerts/send-email");
const { notifyOwners } = await import("@/lib/alerts/notify-owners");
const { tokenInvalidEmail } = await import("@/lib/alerts/templates/token-invalid-email");
const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
const { createOwner } = await import("@/lib/users/create-owner");

const unique = () => randomBytes(5).toString("hex");
const message = (subject: string) => ({ to: `owner-${unique()}@example.com`, subject, html: `<p>${subject}</p>`, text: subject });

describe("sendEmail without SMTP", () => {
  it("keeps the email in the outbox", async () => {
    const input = { ...message(`Outbox ${unique()}`), dedupeKey: `test:${unique()}` };
    const result = await sendEmail(input);
    expect(result.status).toBe("OUTBOX");
    const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({ status: "OUTBOX", to: input.to, subject: input.subject, html: input.html, text: input.text, sentAt: null, error: null });
  });

  it("still keeps one row per dedupeKey, sequentially and concurrently", async () => {
    const input = { ...message(`Once ${unique()}`), dedupeKey: `test:${unique()}` };
    const first = await sendEmail(input);
    const again = await Promise.all(Array.from({ length: 5 }, () => sendEmail(input)));
    expect(first.status).toBe("OUTBOX");
    expect(again.map((r) => r.status)).toEqual(Array(5).fill("DUPLICATE"));
    expect(again.every((r) => r.id === first.id)).toBe(true);
    expect(await prisma.emailMessage.count({ where: { dedupeKey: input.dedupeKey } })).toBe(1);

    const race = { ...message(`Race ${unique()}`), dedupeKey: `test:${unique()}` };
    const results = await Promise.all(Array.from({ length: 5 }, () => sendEmail(race)));
    expect(results.filter((r) => r.status === "OUTBOX")).toHaveLength(1);
    expect(await prisma.emailMessage.count({ where: { dedupeKey: race.dedupeKey } })).toBe(1);
  });

  it("notifies owners into the outbox", async () => {
    const suffix = unique();
    const workspace = await createWorkspace({ name: `Shop ${suffix}`, slug: `shop-${suffix}` });
    for (const email of [`alice-${suffix}@example.com`, `bob-${suffix}@example.com`]) await createOwner({ workspaceId: workspace.id, email });
    const email = tokenInvalidEmail({ workspaceName: workspace.name, connectionName: "Support", displayPhoneNumber: "+1 555 010 2000", reason: "Session has expired", errorCode: 190 });
    const input = { workspaceId: workspace.id, dedupeKey: `token-invalid:${suffix}`, email };
    expect(await notifyOwners(input)).toEqual({ recipients: 2, sent: 0, outbox: 2, duplicates: 0, failed: 0 });
    expect(await notifyOwners(input)).toEqual({ recipients: 2, sent: 0, outbox: 0, duplicates: 2, failed: 0 });
    const rows = await prisma.emailMessage.findMany({ where: { workspaceId: workspace.id } });
    expect(rows.map((r) => r.status)).toEqual(["OUTBOX", "OUTBOX"]);
  });

  it("reports no recipients for a workspace without owners", async () => {
    const suffix = unique();
    const workspace = await createWorkspace({ name: `Empty ${suffix}`, slug: `empty-${suffix}` });
    expect(await notifyOwners({ workspaceId: workspace.id, dedupeKey: `x:${suffix}`, email: { subject: "s", html: "h", text: "t" } })).toEqual({ recipients: 0, sent: 0, outbox: 0, duplicates: 0, failed: 0 });
  });
});
