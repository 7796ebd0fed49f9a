import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { sendEmail } from "@/lib/alerts/send-email";

// Who hears about an incident: the connection's own alert addresses when it has any (a shop may
// route a number's alerts to its support desk), else every owner of the workspace. One row per
// recipient, keyed `${dedupeKey}:${email}`, so a re-run of the job mails nobody twice — and a
// recipient added later still gets the alert.

export type NotifyOwnersInput = {
  workspaceId: string;
  connectionId?: string;
  dedupeKey: string;
  email: { subject: string; html: string; text: string };
};

export type NotifyOwnersResult = { recipients: number; sent: number; outbox: number; duplicates: number; failed: number };

async function recipientsFor(workspaceId: string, connectionId: string | undefined): Promise<string[]> {
  if (connectionId) {
    const connection = await prisma.whatsAppConnection.findFirst({ where: { id: connectionId, workspaceId }, select: { alertEmails: true } });
    const own = normalize(connection?.alertEmails ?? []);
    if (own.length > 0) return own;
  }
  const owners = await prisma.membership.findMany({ where: { workspaceId, role: "OWNER" }, select: { user: { select: { email: true } } }, orderBy: { createdAt: "asc" } });
  return normalize(owners.map((m) => m.user.email));
}

/** Trimmed, lower-cased, without blanks or repeats: the same address is one recipient and one key. */
function normalize(emails: string[]): string[] {
  return [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))];
}

export async function notifyOwners(input: NotifyOwnersInput): Promise<NotifyOwnersResult> {
  const recipients = await recipientsFor(input.workspaceId, input.connectionId);
  const result: NotifyOwnersResult = { recipients: recipients.length, sent: 0, outbox: 0, duplicates: 0, failed: 0 };
  if (recipients.length === 0) {
    logger.warn({ workspaceId: input.workspaceId, connectionId: input.connectionId, dedupeKey: input.dedupeKey }, "alert has no recipients (no alert emails, no owners)");
    return result;
  }
  // One at a time: a handful of recipients, and a slow SMTP server is not hit in parallel.
  for (const to of recipients) {
    const { status } = await sendEmail({ workspaceId: input.workspaceId, to, ...input.email, dedupeKey: `${input.dedupeKey}:${to}` });
    if (status === "SENT") result.sent++;
    else if (status === "OUTBOX") result.outbox++;
    else if (status === "DUPLICATE") result.duplicates++;
    else result.failed++;
  }
  return result;
}
