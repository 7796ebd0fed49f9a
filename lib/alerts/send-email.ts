import { createTransport } from "nodemailer";
import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";

// Every email is a row first. The unique dedupeKey makes "once per incident" the database's job:
// of any number of concurrent callers with one key, one inserts and sends, the rest get DUPLICATE.
// Without SMTP_URL the row stays in the OUTBOX for the dashboard. An SMTP failure is recorded on
// the row (FAILED), never thrown: an alert that cannot be mailed must not fail the job that raised it.

export type SendEmailInput = { workspaceId?: string; to: string; subject: string; html: string; text: string; dedupeKey?: string };
export type SendEmailResult = { id: string; status: "SENT" | "FAILED" | "OUTBOX" | "DUPLICATE" };

const DEFAULT_FROM = "WhaTrack <alerts@localhost>";

// A dead or silent server fails the send within these bounds instead of holding a job for minutes
// (nodemailer's defaults: 2 min to connect, 30 s greeting, 10 min idle). Query parameters on
// SMTP_URL (e.g. ?greetingTimeout=5000) still take precedence.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 5_000 };

// A FAILED email is tried again when its key comes back (the job re-runs during the same incident),
// so an SMTP outage does not swallow the alert — but not forever: after a day the news is stale.
const RETRY_FAILED_WITHIN_MS = 24 * 60 * 60_000;

let transport: ReturnType<typeof createTransport> | null = null;

function smtpTransport(url: string) {
  transport ??= createTransport({ url, ...TIMEOUTS }, { from: env.EMAIL_FROM ?? DEFAULT_FROM });
  return transport;
}

/** The error as one stored/logged line, without SMTP_URL's password even if a server echoed it. */
function describeError(err: unknown, url: string): string {
  const e = err as { code?: unknown; message?: unknown };
  let message = `${typeof e.code === "string" ? `${e.code}: ` : ""}${typeof e.message === "string" ? e.message : String(err)}`;
  const password = decodeURIComponent(new URL(url).password);
  if (password) message = message.split(password).join("[redacted]");
  return message.slice(0, 1000);
}

/** Sends a row this caller owns (just inserted, or claimed back from FAILED) and records the outcome. */
async function deliver(row: { id: string; workspaceId: string | null; to: string; subject: string; html: string; text: string }, url: string): Promise<SendEmailResult> {
  let error: string | null = null;
  try {
    await smtpTransport(url).sendMail({ to: row.to, subject: row.subject, html: row.html, text: row.text });
  } catch (err) {
    error = describeError(err, url);
    logger.warn({ emailId: row.id, workspaceId: row.workspaceId, error }, "email could not be sent");
  }
  await prisma.emailMessage.update({ where: { id: row.id }, data: error ? { status: "FAILED", error } : { status: "SENT", sentAt: new Date(), error: null } });
  return { id: row.id, status: error ? "FAILED" : "SENT" };
}

/** The key was taken: DUPLICATE, unless its email failed recently and this caller wins the retry. */
async function onDuplicate(dedupeKey: string, smtpUrl: string | undefined): Promise<SendEmailResult> {
  const existing = await prisma.emailMessage.findUnique({ where: { dedupeKey } });
  if (!existing) return { id: "", status: "DUPLICATE" };
  if (smtpUrl && existing.status === "FAILED" && Date.now() - existing.createdAt.getTime() < RETRY_FAILED_WITHIN_MS) {
    // Guarded claim: of concurrent retries only one moves the row out of FAILED, so only one sends.
    const claim = await prisma.emailMessage.updateMany({ where: { id: existing.id, status: "FAILED" }, data: { status: "PENDING" } });
    if (claim.count === 1) return deliver(existing, smtpUrl);
  }
  return { id: existing.id, status: "DUPLICATE" };
}

export async function sendEmail(input: SendEmailInput): Promise<SendEmailResult> {
  const smtpUrl = env.SMTP_URL;
  let row;
  try {
    row = await prisma.emailMessage.create({
      data: { workspaceId: input.workspaceId, to: input.to, subject: input.subject, html: input.html, text: input.text, dedupeKey: input.dedupeKey, status: smtpUrl ? "PENDING" : "OUTBOX" },
    });
  } catch (err) {
    if (input.dedupeKey && isUniqueViolation(err)) return onDuplicate(input.dedupeKey, smtpUrl);
    throw err;
  }
  if (!smtpUrl) {
    logger.info({ emailId: row.id, workspaceId: row.workspaceId }, "email kept in the outbox (SMTP_URL not set)");
    return { id: row.id, status: "OUTBOX" };
  }
  return deliver(row, smtpUrl);
}
