import { request as httpRequest } from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// Bodies are read within limits on every route that reads one (lib/http/read-body.ts): a huge
// body — even chunked, with no Content-Length to refuse it by — is cut at the limit with memory
// flat, and a body that trickles in is cut at the deadline. Over real HTTP against next start.
const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

type Answer = { status: number; ms: number };

/** Streams `totalBytes` of zeros, chunked (no Content-Length), as fast as the socket takes them. */
function streamZeros(url: string, totalBytes: number, headers: Record<string, string>): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: Date.now() - started });
      req.destroy();
    });
    req.on("error", (err) => (err.message.includes("socket hang up") || (err as NodeJS.ErrnoException).code === "EPIPE" || (err as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(err)));
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** Sends the headers and a few bytes, then nothing more. */
function trickle(url: string, headers: Record<string, string>): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", "content-length": "1000", ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: Date.now() - started });
      req.destroy();
    });
    req.on("error", reject);
    req.write('{"object":');
  });
}

/** Peak resident memory (VmHWM, kB) of the next-server processes in the group. */
function peakRssKb(groupPid: number): number {
  let peak = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgid !== groupPid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      peak = Math.max(peak, Number(hwm ?? 0));
    } catch {
      // the process ended
    }
  }
  return peak;
}

describe.skipIf(!onServer)("request body limits on next start", () => {
  let server: NextServer;
  const port = 3700 + (process.pid % 90);

  beforeAll(async () => {
    // The server inherits this file's environment: its own database, Redis and secrets.
    server = await startNextServer({ port, env: { LOG_LEVEL: "warn" } });
  });
  afterAll(async () => server?.stop());

  it("a 200 MB chunked body with a bogus signature: 413 at the limit, nothing stored, memory flat", async () => {
    const before = peakRssKb(server.pid);
    const answer = await streamZeros(`${server.url}/api/v1/webhooks/whatsapp`, 200 * 1024 * 1024, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` });
    expect(answer.status).toBe(413);
    const grewMb = (peakRssKb(server.pid) - before) / 1024;
    expect(grewMb).toBeLessThan(64);
    const { prisma } = await import("@/lib/db/client");
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("a chunked JSON body past the limit on sign-in: 413, memory flat", async () => {
    const before = peakRssKb(server.pid);
    const answer = await streamZeros(`${server.url}/api/v1/auth/sign-in`, 100 * 1024 * 1024, { origin: server.url });
    expect(answer.status).toBe(413);
    expect((peakRssKb(server.pid) - before) / 1024).toBeLessThan(64);
  });

  it("a body that stops arriving is cut at the deadline, not held for minutes", async () => {
    const [webhook, json] = await Promise.all([
      trickle(`${server.url}/api/v1/webhooks/whatsapp`, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }),
      trickle(`${server.url}/api/v1/auth/sign-in`, { origin: server.url }),
    ]);
    expect(webhook.status).toBe(408);
    expect(json.status).toBe(408);
    expect(webhook.ms).toBeLessThan(20_000);
    expect(json.ms).toBeLessThan(20_000);
  });
});
