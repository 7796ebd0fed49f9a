import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO } from "@/lib/workspaces/demo-workspace";
import { buildDelivery, serializeLikeMeta, signBody, textMessage } from "@/sim/webhook-payloads";
import { countStoredDeliveries } from "@/tests/helpers/count-stored-deliveries";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// The embedded PGlite database under `next start`, stopped 10 times with SIGTERM and 10 times with
// SIGKILL at random moments while signed webhooks are being stored, and restarted each time: it
// must start every time and keep every delivery it acknowledged with a 200. Then a directory damaged
// beyond PostgreSQL's recovery: the start fails with one line, and `npm run db:restore` brings back
// the latest backup. docs/embedded-database.md.

const sha256 = (raw: string) => createHash("sha256").update(raw).digest("hex");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A signed delivery on its own connection, resolving to the HTTP status (0: none). Without keep-alive:
 * a kept-alive connection holds Next's graceful drain open until its timeout (5 s), which would
 * make each SIGTERM round that much longer without testing anything more.
 */
function post(baseUrl: string, raw: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(`${baseUrl}/api/v1/webhooks/whatsapp`, {
      method: "POST",
      agent: false,
      timeout: 10_000,
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(raw, process.env.WHATSAPP_APP_SECRET!) },
    });
    req.on("response", (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end(raw);
  });
}

function delivery(label: string): string {
  return serializeLikeMeta(
    buildDelivery({ wabaId: DEMO.wabaId, phoneNumberId: DEMO.phoneNumberId, displayPhoneNumber: DEMO.displayPhoneNumber, messages: [textMessage({ body: label })] }),
  );
}

describe("the embedded database across stops", () => {
  const root = mkdtempSync(path.join(tmpdir(), "whatrack-stops-"));
  const dataDir = path.join(root, "pglite");
  const serverEnv = {
    // The embedded default: no PostgreSQL, no Redis (the test process itself may be pointed at both).
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    UPSTASH_REDIS_REST_URL: undefined,
    KV_REST_API_URL: undefined,
    PGLITE_DATA_DIR: dataDir,
    WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN,
    TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
    SESSION_SECRET: process.env.SESSION_SECRET,
    GRAPH_API_BASE_URL: process.env.GRAPH_API_BASE_URL,
    LOG_LEVEL: "warn",
  };
  let server: NextServer | null = null;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  });

  const acknowledged: string[] = []; // body hashes answered 200, over the whole run
  let sent = 0;

  async function start(port: number): Promise<NextServer> {
    const s = await startNextServer({ port, env: serverEnv, timeoutMs: 90_000 });
    const health = await fetch(`${s.url}/api/health`);
    expect(health.status, s.output()).toBe(200);
    expect(await health.json()).toMatchObject({ database: { status: "ok" }, lockStore: { kind: "memory" } });
    // One delivery first: the route's first request loads its modules (a second or more), and the
    // stops are meant to land among writes.
    const warm = delivery(`warm-up ${randomBytes(4).toString("hex")}`);
    expect(await post(s.url, warm), s.output()).toBe(200);
    acknowledged.push(sha256(warm));
    return s;
  }

  /** Open loop: a delivery every 10 ms until the server has exited; returns when every request has settled. */
  async function load(s: NextServer, until: Promise<unknown>): Promise<void> {
    const inflight: Promise<void>[] = [];
    let stopped = false;
    void until.then(() => (stopped = true));
    while (!stopped) {
      const raw = delivery(`stop test ${sent++} ${randomBytes(4).toString("hex")}`);
      inflight.push(
        post(s.url, raw).then((status) => {
          if (status === 200) acknowledged.push(sha256(raw));
        }),
      );
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inflight);
  }

  it("starts after every SIGTERM and SIGKILL, keeps every acknowledged delivery, and restores a backup when the directory is damaged", async () => {
    const started = Date.now();
    const port = await freePort();
    // The demo workspace, so deliveries are processed too (more writes at the moment of a stop).
    const seed = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/whatrack.ts", "demo:seed", "--token-env", "STOPS_TOKEN"], {
      env: { ...process.env, ...serverEnv, DATABASE_URL: "", REDIS_URL: "", STOPS_TOKEN: `EAAT${randomBytes(16).toString("hex")}` },
      encoding: "utf8",
    });
    expect(seed.status, seed.stderr).toBe(0);

    const signals: NodeJS.Signals[] = [...Array<NodeJS.Signals>(10).fill("SIGTERM"), ...Array<NodeJS.Signals>(10).fill("SIGKILL")].sort(() => Math.random() - 0.5);
    const closeMs: number[] = [];
    const startMs: number[] = [];
    const rounds: string[] = [];
    for (const [round, signal] of signals.entries()) {
      const t0 = Date.now();
      server = await start(port);
      startMs.push(Date.now() - t0);
      const s = server;
      const stopAfterMs = 100 + Math.random() * 1900;
      let stopMs = 0;
      const stopped = new Promise<void>((resolve) =>
        setTimeout(() => {
          const t = Date.now();
          void s.stop(signal).then(() => {
            stopMs = Date.now() - t;
            resolve();
          });
        }, stopAfterMs),
      );
      const [ackedBefore, sentBefore] = [acknowledged.length, sent];
      await load(s, stopped);
      server = null;
      rounds.push(`${signal} after ${Math.round(stopAfterMs)} ms: ${acknowledged.length - ackedBefore}/${sent - sentBefore} acknowledged, stopped in ${stopMs} ms`);
      const where = `round ${round + 1}, ${signal} after ${Math.round(stopAfterMs)} ms`;
      if (signal === "SIGTERM") {
        closeMs.push(stopMs);
        // Closed, not just stopped: PostgreSQL removes postmaster.pid on a clean shutdown, and our lock goes last.
        expect(existsSync(path.join(dataDir, "postmaster.pid")), `${where}: postmaster.pid left behind\n${s.output()}`).toBe(false);
        expect(existsSync(`${dataDir}.lock`), `${where}: lock left behind\n${s.output()}`).toBe(false);
      }
      expect(await countStoredDeliveries(dataDir, acknowledged), where).toBe(acknowledged.length);
    }
    // Beyond the 20 warm-ups: the server acknowledges some 5–20 deliveries a second here (a loaded
    // 2-core machine), so most of each round's load is still queued when the stop comes.
    expect(acknowledged.length - signals.length, rounds.join("\n")).toBeGreaterThan(40);

    // A directory damaged beyond recovery (its WAL gone) after a backup was taken.
    const backupsDir = path.join(root, "backups");
    const backups = () => (existsSync(backupsDir) ? readdirSync(backupsDir).filter((n) => /^pglite-[\dT.Z-]+$/.test(n)) : []);
    const before = new Set(backups());
    server = await start(port);
    const deadline = Date.now() + 60_000;
    while (!backups().some((n) => !before.has(n))) {
      expect(Date.now(), "no backup within 60 s of a start").toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 250));
    }
    const inBackup = acknowledged.length;
    const later = delivery(`after the backup ${randomBytes(4).toString("hex")}`);
    expect(await post(server.url, later)).toBe(200);
    await server.stop("SIGKILL");
    server = null;
    for (const segment of readdirSync(path.join(dataDir, "pg_wal")).filter((n) => /^[0-9A-F]{24}$/.test(n))) rmSync(path.join(dataDir, "pg_wal", segment));

    const failed = await startNextServer({ port, env: serverEnv }).then(
      (s) => s.stop().then(() => "started on a damaged directory"),
      (error: Error) => error.message,
    );
    const lines = failed.split("\n").filter((l) => l.includes("cannot be opened"));
    expect(lines, failed).toHaveLength(1);
    expect(lines[0]).toContain("npm run db:restore");
    expect(failed, "a stack trace instead of one line").not.toMatch(/^\s+at /m);

    const restore = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/db-restore.ts"], { env: { ...process.env, ...serverEnv, DATABASE_URL: "" }, encoding: "utf8" });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/^restored .* the previous directory is kept at /);
    server = await start(port);
    await server.stop("SIGTERM");
    server = null;
    expect(await countStoredDeliveries(dataDir, acknowledged.slice(0, inBackup))).toBe(inBackup);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `stops: ${acknowledged.length} of ${sent} deliveries acknowledged and kept over 20 stops; rounds:\n${rounds.join("\n")}\nSIGTERM to exit ` +
        `${Math.min(...closeMs)}–${Math.max(...closeMs)} ms (median ${median(closeMs)}); start to healthy ${Math.min(...startMs)}–${Math.max(...startMs)} ms ` +
        `(median ${median(startMs)}); whole test ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 600_000);
});
