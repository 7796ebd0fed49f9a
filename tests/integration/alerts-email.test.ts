import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";

// Alerts through a real SMTP server (smtp-server, in this process). The app reads SMTP_URL once,
// when lib/env is first imported: the server is started and the variable set before any app module
// is loaded (hence the dynamic imports below).

type Received = { authUser: unknown; mailFrom: string; rcptTo: string[]; headers: Record<string, string>; raw: string };

const SMTP_USER = "alerts";
const SMTP_PASS = randomBytes(12).toString("hex");
const received: Received[] = [];

/** Header fields of a raw message, unfolded, names lower-cased (enough for To/From/Subject). */
function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const fields: Record<string, string> = {};
  for (const line of head.replace(/\r?\n(?=[ \t])/g, "").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return fields;
}

function startSmtp(port: number): Promise<SMTPServer & { port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true, // plain TCP on loopback; STARTTLS off so nodemailer doesn't try the self-signed cert
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const envelope = session.envelope;
        received.push({ authUser: session.user, mailFrom: envelope.mailFrom ? envelope.mailFrom.address : "", rcptTo: envelope.rcptTo.map((r) => r.address), headers: headersOf(raw), raw });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.server.address();
      resolve(Object.assign(server, { port: typeof address === "object" && address ? address.port : port }));
    });
  });
}

const stopSmtp = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

let smtp = await startSmtp(0);
const port = smtp.port;
process.env.SMTP_URL = `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`;
process.env.EMAIL_FROM = "WhaTrack Alerts <alerts@whatrack.test>";

const { prisma } = await import("@/lib/db/client");
const { sendEmail } = await import("@/lib/alerts/send-email");
const { notifyOwners } = await import("@/lib/alerts/notify-owners");
const { connectionCriticalEmail } = await import("@/lib/alerts/templates/connection-critical-email");
const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
const { createConnection } = await import("@/lib/connections/create-connection");
const { createOwner } = await import("@/lib/users/create-owner");

afterAll(() => stopSmtp(smtp));
beforeEach(() => {
  received.length = 0;
});

const unique = () => randomBytes(5).toString("hex");
const message = (subject: string) => ({ to: `owner-${unique()}@example.com`, subject, html: `<p>${subject}</p>`, text: subject });

/** Runs `fn` while nothing listens on the SMTP port (or `replacement` does), then brings the server back. */
async function withSmtpReplaced<T>(replacement: (() => Promise<Server>) | null, fn: () => Promise<T>): Promise<T> {
  await stopSmtp(smtp);
  const stand = replacement ? await replacement() : null;
  try {
    return await fn();
  } finally {
    if (stand) await new Promise<void>((resolve) => stand.close(() => resolve()));
    smtp = await startSmtp(port);
  }
}

describe("sendEmail with SMTP", () => {
  it("delivers the message and marks the row SENT", async () => {
    const input = { ...message(`Offline ${unique()}`), dedupeKey: `test:${unique()}` };
    const result = await sendEmail(input);
    expect(result.status).toBe("SENT");
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.authUser).toBe(SMTP_USER); // logged in with SMTP_URL's credentials
    expect(mail.rcptTo).toEqual([input.to]);
    expect(mail.mailFrom).toBe("alerts@whatrack.test");
    expect(mail.headers.to).toBe(input.to);
    expect(mail.headers.subject).toBe(input.subject);
    expect(mail.headers.from).toBe("WhaTrack Alerts <alerts@whatrack.test>");
    expect(mail.headers["content-type"]).toMatch(/^multipart\/alternative/); // both the HTML and the text part
    const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({ status: "SENT", to: input.to, subject: input.subject, dedupeKey: input.dedupeKey, error: null });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it("sends once for one dedupeKey, called twice", async () => {
    const input = { ...message(`Twice ${unique()}`), dedupeKey: `test:${unique()}` };
    const first = await sendEmail(input);
    const second = await sendEmail(input);
    expect([first.status, second.status]).toEqual(["SENT", "DUPLICATE"]);
    expect(second.id).toBe(first.id);
    expect(received).toHaveLength(1);
    expect(await prisma.emailMessage.count({ where: { dedupeKey: input.dedupeKey } })).toBe(1);
  });

  it("sends once for one dedupeKey, called five times at once", async () => {
    const input = { ...message(`Race ${unique()}`), dedupeKey: `test:${unique()}` };
    const results = await Promise.all(Array.from({ length: 5 }, () => sendEmail(input)));
    expect(results.map((r) => r.status).sort()).toEqual(["DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "SENT"]);
    expect(received).toHaveLength(1);
    expect(await prisma.emailMessage.count({ where: { subject: input.subject } })).toBe(1);
  });

  it("sends every call without a dedupeKey", async () => {
    const input = message(`No key ${unique()}`);
    await sendEmail(input);
    await sendEmail(input);
    expect(received).toHaveLength(2);
  });

  it("marks the row FAILED, quickly and without throwing, when the SMTP server is down", async () => {
    const input = { ...message(`Down ${unique()}`), dedupeKey: `test:${unique()}` };
    const started = Date.now();
    const result = await withSmtpReplaced(null, () => sendEmail(input));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe("FAILED");
    const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(row.status).toBe("FAILED");
    expect(row.sentAt).toBeNull();
    expect(row.error).toMatch(/ECONNREFUSED/);
    expect(row.error).not.toContain(SMTP_PASS);
  });

  it("retries a FAILED email when its key comes back, once even when five callers race", async () => {
    const input = { ...message(`Retry ${unique()}`), dedupeKey: `test:${unique()}` };
    const failed = await withSmtpReplaced(null, () => sendEmail(input));
    expect(failed.status).toBe("FAILED");
    expect(received).toHaveLength(0);

    const results = await Promise.all(Array.from({ length: 5 }, () => sendEmail(input)));
    expect(results.map((r) => r.status).sort()).toEqual(["DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "SENT"]);
    expect(results.every((r) => r.id === failed.id)).toBe(true);
    expect(received).toHaveLength(1);
    const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: failed.id } });
    expect(row).toMatchObject({ status: "SENT", error: null });
    expect((await sendEmail(input)).status).toBe("DUPLICATE");
    expect(received).toHaveLength(1);
  });

  it("does not retry a FAILED email older than a day", async () => {
    const input = { ...message(`Stale ${unique()}`), dedupeKey: `test:${unique()}` };
    const failed = await withSmtpReplaced(null, () => sendEmail(input));
    await prisma.emailMessage.update({ where: { id: failed.id }, data: { createdAt: new Date(Date.now() - 25 * 60 * 60_000) } });
    expect(await sendEmail(input)).toEqual({ id: failed.id, status: "DUPLICATE" });
    expect(received).toHaveLength(0);
  });

  it("gives up on a server that accepts the connection but never answers (greeting timeout)", async () => {
    const sockets = new Set<Socket>();
    const silent = () =>
      new Promise<Server>((resolve) => {
        const server = createServer((socket) => {
          sockets.add(socket);
          socket.on("error", () => {});
        });
        server.listen(port, "127.0.0.1", () => resolve(server));
      });
    const started = Date.now();
    const result = await withSmtpReplaced(silent, async () => {
      const sent = await sendEmail(message(`Silent ${unique()}`));
      sockets.forEach((s) => s.destroy());
      return sent;
    });
    expect(result.status).toBe("FAILED");
    expect(Date.now() - started).toBeLessThan(15_000);
    const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(row.error).toMatch(/ETIMEDOUT: Greeting never received/);
  });

  it("sends again once the server is back", async () => {
    expect((await sendEmail(message(`Back ${unique()}`))).status).toBe("SENT");
    expect(received).toHaveLength(1);
  });
});

describe("notifyOwners", () => {
  async function workspaceWithTwoOwners() {
    const suffix = unique();
    const workspace = await createWorkspace({ name: `Shop ${suffix}`, slug: `shop-${suffix}` });
    const owners = [`alice-${suffix}@example.com`, `bob-${suffix}@example.com`];
    for (const email of owners) await createOwner({ workspaceId: workspace.id, email });
    // a plain member is not an owner: no alert for them
    const member = await prisma.user.create({ data: { email: `carol-${suffix}@example.com` } });
    await prisma.membership.create({ data: { workspaceId: workspace.id, userId: member.id, role: "MEMBER" } });
    const phoneNumberId = String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
    const connection = await createConnection({ workspaceId: workspace.id, wabaId: `waba${suffix}`, phoneNumberId, accessToken: `EAAT${randomBytes(16).toString("hex")}`, displayPhoneNumber: "+1 555 010 2000", name: "Support line" });
    return { workspace, owners, connection };
  }

  const criticalEmail = (workspaceName: string) =>
    connectionCriticalEmail({ workspaceName, connectionName: "Support line", displayPhoneNumber: "+1 555 010 2000", offlineSince: new Date(Date.now() - (6 * 60 + 12) * 60_000), lastConnectedAt: null, reason: "webhooks unsubscribed" });

  it("emails each owner once per incident", async () => {
    const { workspace, owners, connection } = await workspaceWithTwoOwners();
    const input = { workspaceId: workspace.id, connectionId: connection.id, dedupeKey: `critical:${connection.id}:1`, email: criticalEmail(workspace.name) };
    expect(await notifyOwners(input)).toEqual({ recipients: 2, sent: 2, outbox: 0, duplicates: 0, failed: 0 });
    expect(received.flatMap((m) => m.rcptTo).sort()).toEqual(owners);
    for (const mail of received) expect(mail.headers.subject).toBe("WhatsApp number offline for 6 hours 12 minutes: Support line (+1 555 010 2000)");
    expect(received[0]!.raw).toContain("How to reconnect");

    // the job runs again during the same outage: nobody is mailed twice
    expect(await notifyOwners(input)).toEqual({ recipients: 2, sent: 0, outbox: 0, duplicates: 2, failed: 0 });
    expect(received).toHaveLength(2);
    const rows = await prisma.emailMessage.findMany({ where: { workspaceId: workspace.id }, orderBy: { to: "asc" } });
    expect(rows.map((r) => [r.to, r.dedupeKey, r.status])).toEqual(owners.map((o) => [o, `${input.dedupeKey}:${o}`, "SENT"]));
  });

  it("sends to the connection's alert emails instead of the owners when it has some", async () => {
    const { workspace, connection } = await workspaceWithTwoOwners();
    await prisma.whatsAppConnection.update({ where: { id: connection.id }, data: { alertEmails: [" Ops@Example.com", "ops@example.com", "desk@example.com", ""] } });
    const result = await notifyOwners({ workspaceId: workspace.id, connectionId: connection.id, dedupeKey: `critical:${connection.id}:1`, email: criticalEmail(workspace.name) });
    expect(result).toEqual({ recipients: 2, sent: 2, outbox: 0, duplicates: 0, failed: 0 });
    expect(received.flatMap((m) => m.rcptTo).sort()).toEqual(["desk@example.com", "ops@example.com"]);
  });

  it("ignores a connection of another workspace and falls back to the owners", async () => {
    const mine = await workspaceWithTwoOwners();
    const theirs = await workspaceWithTwoOwners();
    await prisma.whatsAppConnection.update({ where: { id: theirs.connection.id }, data: { alertEmails: ["theirs@example.com"] } });
    const result = await notifyOwners({ workspaceId: mine.workspace.id, connectionId: theirs.connection.id, dedupeKey: `x:${unique()}`, email: criticalEmail(mine.workspace.name) });
    expect(result.recipients).toBe(2);
    expect(received.flatMap((m) => m.rcptTo).sort()).toEqual(mine.owners);
  });

  it("counts failures without throwing when the server is down, and sends them on the next run", async () => {
    const { workspace } = await workspaceWithTwoOwners();
    const input = { workspaceId: workspace.id, dedupeKey: `dead:${unique()}`, email: criticalEmail(workspace.name) };
    const result = await withSmtpReplaced(null, () => notifyOwners(input));
    expect(result).toEqual({ recipients: 2, sent: 0, outbox: 0, duplicates: 0, failed: 2 });
    // the next run of the job, server back: the failed emails go out, under the same key
    expect(await notifyOwners(input)).toEqual({ recipients: 2, sent: 2, outbox: 0, duplicates: 0, failed: 0 });
    expect(received).toHaveLength(2);
  });
});
